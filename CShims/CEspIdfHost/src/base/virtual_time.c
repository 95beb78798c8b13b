/*
 * Virtual time: a clock that moves only when every firmware task is blocked, and then
 * straight to the next timeout.  `uart-tunnel fuzz` runs the host layer this way, so one
 * input takes microseconds whatever timeouts it exercises (uart_read_bytes, vTaskDelay,
 * queue waits, the 1 s partial-frame rule, lwIP timers) and the same input always takes
 * the same path.  Off by default: a device runs on CLOCK_MONOTONIC (clock.c).
 *
 * Bookkeeping, under one lock: the threads taking part (the firmware's tasks and
 * tcpip_thread), how many of them are blocked, and every thread now waiting with its
 * virtual deadline.  A wait counts as blocked until something wakes it: the signaller
 * (host_vt_signalled, called before every broadcast in fuzz builds) or the controller
 * moving time past its deadline.  The controller (the fuzz harness) waits for "all
 * blocked" (host_vt_settle), then advances (host_vt_advance_to).  Waits poll in short
 * real-time slices as well, so a broadcast the bookkeeping never saw (a destroyed or
 * foreign condition) costs a slice, not a lost wake-up.
 */
#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vt_waiter {
    pthread_cond_t *cond;       /* NULL for a foreign wait (lwIP's sys_arch), woken by host_vt_foreign_signalled */
    pthread_mutex_t *mutex;
    const void *object;         /* a foreign wait's semaphore */
    uint64_t deadline_us;       /* UINT64_MAX: no timeout */
    bool woken;
    bool participant;
    pthread_t thread;
    struct vt_waiter *next;
} vt_waiter_t;

static bool s_enabled;
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_changed = PTHREAD_COND_INITIALIZER;   /* a participant blocked or left (real time) */
static uint64_t s_now_us;
static int s_participants, s_blocked;
static vt_waiter_t *s_waiting;
static uint64_t (*s_timer_next)(void);
static void (*s_timer_run)(void);

/* Posts pending on foreign objects (posted, not yet taken), packed at the front: a waiter on one of them is
 * about to run.  Few are pending at once, so a scan of the used part is cheap. */
#define MAX_PENDING 256
static struct {
    const void *object;
    unsigned count;
} s_pending[MAX_PENDING];
static int s_pending_used;
static bool s_pending_overflow;   /* the table filled up: from then on every foreign waiter counts as running */

/* The object's slot (s_lock held), or -1; with `add`, a new slot becomes its own if it has none. */
static int pending_slot(const void *object, bool add)
{
    for (int i = 0; i < s_pending_used; i++) {
        if (s_pending[i].object == object) {
            return i;
        }
    }
    if (!add) {
        return -1;
    }
    if (s_pending_used == MAX_PENDING) {
        s_pending_overflow = true;   /* running by mistake costs real time; blocked by mistake, determinism */
        return -1;
    }
    s_pending[s_pending_used].object = object;
    s_pending[s_pending_used].count = 0;
    return s_pending_used++;
}

/* Frees slot (s_lock held): the last one moves into its place. */
static void pending_remove(int slot)
{
    s_pending[slot] = s_pending[--s_pending_used];
}

/* Whether a post is pending on object (s_lock held). */
static bool has_pending(const void *object)
{
    const int slot = pending_slot(object, false);
    return s_pending_overflow || (slot >= 0 && s_pending[slot].count > 0);
}

#define MAX_PARTICIPANTS 64
static struct {
    pthread_t thread;
    char name[24];
    bool active;
} s_threads[MAX_PARTICIPANTS];

static __thread bool t_participant;


#define REAL_SLICE_NS 20000000L   /* 20 ms: how soon a wait notices a wake-up the bookkeeping missed */

void host_vt_enable(void)
{
    __atomic_store_n(&s_enabled, true, __ATOMIC_RELEASE);
}

bool host_vt_enabled(void)
{
    return __atomic_load_n(&s_enabled, __ATOMIC_ACQUIRE);
}

uint64_t host_vt_now_us(void)
{
    pthread_mutex_lock(&s_lock);
    uint64_t now = s_now_us;
    pthread_mutex_unlock(&s_lock);
    return now;
}

void host_vt_set_timer_source(uint64_t (*next_us)(void), void (*run)(void))
{
    s_timer_next = next_us;
    s_timer_run = run;
}

void host_vt_participate(const char *name)
{
    if (t_participant) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    t_participant = true;
    s_participants++;
    for (int i = 0; i < MAX_PARTICIPANTS; i++) {
        if (!s_threads[i].active) {
            s_threads[i].active = true;
            s_threads[i].thread = pthread_self();
            snprintf(s_threads[i].name, sizeof s_threads[i].name, "%s", name != NULL ? name : "?");
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
}

int host_vt_adopt_begin(void)
{
    pthread_mutex_lock(&s_lock);
    int slot = -1;
    for (int i = 0; i < MAX_PARTICIPANTS && slot < 0; i++) {
        if (!s_threads[i].active) {
            slot = i;
            s_threads[i].active = true;
            s_threads[i].thread = (pthread_t)0;
            snprintf(s_threads[i].name, sizeof s_threads[i].name, "(starting)");
        }
    }
    if (slot >= 0) {
        s_participants++;
    }
    pthread_mutex_unlock(&s_lock);
    return slot;
}

void host_vt_adopt_end(int slot)
{
    if (slot < 0) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    t_participant = true;
    s_threads[slot].thread = pthread_self();
    s_threads[slot].name[0] = '\0';
    pthread_mutex_unlock(&s_lock);
}

void host_vt_adopt_cancel(int slot)
{
    if (slot < 0) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    s_threads[slot].active = false;
    s_participants--;
    pthread_cond_broadcast(&s_changed);
    pthread_mutex_unlock(&s_lock);
}

bool host_vt_is_participant(void)
{
    return t_participant;
}

void host_vt_leave(void)
{
    if (!t_participant) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    t_participant = false;
    s_participants--;
    for (int i = 0; i < MAX_PARTICIPANTS; i++) {
        if (s_threads[i].active && pthread_equal(s_threads[i].thread, pthread_self())) {
            s_threads[i].active = false;
        }
    }
    pthread_cond_broadcast(&s_changed);
    pthread_mutex_unlock(&s_lock);
}

static void unlink_waiter(vt_waiter_t *w)
{
    for (vt_waiter_t **at = &s_waiting; *at != NULL; at = &(*at)->next) {
        if (*at == w) {
            *at = w->next;
            return;
        }
    }
}

/* Marks w awake (s_lock held). */
static void wake(vt_waiter_t *w)
{
    if (!w->woken) {
        w->woken = true;
        if (w->participant) {
            s_blocked--;
        }
    }
}

static struct timespec real_slice(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += REAL_SLICE_NS;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* Registers the calling thread as waiting until deadline_us (s_lock held); false if that time has come. */
static bool begin_wait(vt_waiter_t *w)
{
    if (s_now_us >= w->deadline_us) {
        return false;
    }
    w->participant = t_participant;
    w->thread = pthread_self();
    w->next = s_waiting;
    s_waiting = w;
    if (w->participant) {
        s_blocked++;
        pthread_cond_broadcast(&s_changed);
    }
    return true;
}

/* Unregisters w; true if its deadline passed (s_lock held). */
static bool end_wait(vt_waiter_t *w)
{
    unlink_waiter(w);
    if (w->participant && !w->woken) {
        s_blocked--;
    }
    return s_now_us >= w->deadline_us;
}

bool host_vt_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, uint64_t deadline_us)
{
    vt_waiter_t w = { .cond = cond, .mutex = mutex, .deadline_us = deadline_us };
    pthread_mutex_lock(&s_lock);
    if (!begin_wait(&w)) {
        pthread_mutex_unlock(&s_lock);
        return false;
    }
    for (;;) {
        pthread_mutex_unlock(&s_lock);
        struct timespec slice = real_slice();
        pthread_cond_clockwait(cond, mutex, CLOCK_MONOTONIC, &slice);   /* whatever clock cond was made with */
        pthread_mutex_lock(&s_lock);
        if (w.woken || s_now_us >= w.deadline_us) {
            break;
        }
    }
    const bool timed_out = end_wait(&w);
    pthread_mutex_unlock(&s_lock);
    return !timed_out;
}

void *host_vt_foreign_begin(const void *object, uint64_t deadline_us)
{
    vt_waiter_t *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return NULL;
    }
    w->object = object;
    w->deadline_us = deadline_us;
    pthread_mutex_lock(&s_lock);
    if (!begin_wait(w)) {
        pthread_mutex_unlock(&s_lock);
        free(w);
        return NULL;
    }
    if (has_pending(object)) {
        wake(w);   /* posted before it began: it takes that post now */
    }
    pthread_mutex_unlock(&s_lock);
    return w;
}

bool host_vt_foreign_should_return(void *wait)
{
    vt_waiter_t *w = wait;
    pthread_mutex_lock(&s_lock);
    const bool done = w == NULL || w->deadline_us <= s_now_us;
    if (w != NULL && w->woken && !done && !has_pending(w->object)) {
        /* the post that woke it was taken by another waiter: blocked again */
        w->woken = false;
        if (w->participant) {
            s_blocked++;
            pthread_cond_broadcast(&s_changed);
        }
    }
    pthread_mutex_unlock(&s_lock);
    return done;
}

bool host_vt_foreign_end(void *wait)
{
    vt_waiter_t *w = wait;
    if (w == NULL) {
        return true;
    }
    pthread_mutex_lock(&s_lock);
    const bool timed_out = end_wait(w);
    pthread_mutex_unlock(&s_lock);
    free(w);
    return timed_out;
}

void host_vt_signalled(pthread_cond_t *cond)
{
    if (!host_vt_enabled() || cond == &s_changed) {   /* s_changed: this file's own, broadcast under s_lock */
        return;
    }
    pthread_mutex_lock(&s_lock);
    for (vt_waiter_t *w = s_waiting; w != NULL; w = w->next) {
        if (w->cond == cond) {
            wake(w);
        }
    }
    pthread_mutex_unlock(&s_lock);
}

void host_vt_foreign_created(const void *object, unsigned count)
{
    if (!host_vt_enabled() || count == 0) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    const int slot = pending_slot(object, true);
    if (slot >= 0) {
        s_pending[slot].count = count;
    }
    pthread_mutex_unlock(&s_lock);
}

void host_vt_foreign_signalled(const void *object)
{
    if (!host_vt_enabled()) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    const int slot = pending_slot(object, true);
    if (slot >= 0) {
        s_pending[slot].count++;
    }
    for (vt_waiter_t *w = s_waiting; w != NULL; w = w->next) {
        if (w->cond == NULL && w->object == object) {
            wake(w);
        }
    }
    pthread_mutex_unlock(&s_lock);
}

void host_vt_foreign_taken(const void *object)
{
    if (!host_vt_enabled()) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    const int slot = pending_slot(object, false);
    if (slot >= 0 && (s_pending[slot].count == 0 || --s_pending[slot].count == 0)) {
        pending_remove(slot);
    }
    pthread_mutex_unlock(&s_lock);
}

void host_vt_foreign_freed(const void *object)
{
    if (!host_vt_enabled()) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    const int slot = pending_slot(object, false);
    if (slot >= 0) {
        pending_remove(slot);
    }
    pthread_mutex_unlock(&s_lock);
}

int host_vt_settle(uint64_t limit_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)(limit_ms / 1000u);
    until.tv_nsec += (long)(limit_ms % 1000u) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s_lock);
    int result = 0;
    while (s_blocked < s_participants) {
        if (pthread_cond_clockwait(&s_changed, &s_lock, CLOCK_MONOTONIC, &until) == ETIMEDOUT &&
            s_blocked < s_participants) {
            result = -1;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return result;
}

/* The earliest deadline of a waiter nobody has woken yet (s_lock held). */
static uint64_t next_deadline(void)
{
    uint64_t next = UINT64_MAX;
    for (vt_waiter_t *w = s_waiting; w != NULL; w = w->next) {
        if (!w->woken && w->deadline_us < next) {
            next = w->deadline_us;
        }
    }
    return next;
}

#define MAX_WAKE 64

int host_vt_advance_to(uint64_t target_us, uint64_t settle_limit_ms)
{
    for (;;) {
        if (host_vt_settle(settle_limit_ms) != 0) {
            return -1;
        }
        const uint64_t timer = s_timer_next != NULL ? s_timer_next() : UINT64_MAX;
        pthread_mutex_lock(&s_lock);
        uint64_t next = next_deadline();
        if (timer < next) {
            next = timer;
        }
        if (next > target_us) {
            if (s_now_us < target_us) {
                s_now_us = target_us;
            }
            pthread_mutex_unlock(&s_lock);
            return 0;
        }
        if (next > s_now_us) {
            s_now_us = next;
        }
        struct { pthread_cond_t *cond; pthread_mutex_t *mutex; } woken[MAX_WAKE];
        int count = 0;
        for (vt_waiter_t *w = s_waiting; w != NULL; w = w->next) {
            if (!w->woken && w->deadline_us <= s_now_us) {
                wake(w);
                if (w->cond != NULL && count < MAX_WAKE) {
                    woken[count].cond = w->cond;
                    woken[count].mutex = w->mutex;
                    count++;
                }
            }
        }
        pthread_mutex_unlock(&s_lock);
        /* each waiter is inside pthread_cond_timedwait or about to be: it holds its mutex until then */
        for (int i = 0; i < count; i++) {
            pthread_mutex_lock(woken[i].mutex);
            pthread_cond_broadcast(woken[i].cond);
            pthread_mutex_unlock(woken[i].mutex);
        }
        if (timer <= s_now_us && s_timer_run != NULL) {
            s_timer_run();
        }
    }
}

void host_vt_describe_running(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    pthread_mutex_lock(&s_lock);
    for (int i = 0; i < MAX_PARTICIPANTS; i++) {
        if (!s_threads[i].active) {
            continue;
        }
        bool blocked = false;
        for (vt_waiter_t *w = s_waiting; w != NULL && !blocked; w = w->next) {
            blocked = !w->woken && pthread_equal(w->thread, s_threads[i].thread);
        }
        char name[24];
        snprintf(name, sizeof name, "%s", s_threads[i].name);
        if (name[0] == '\0' && pthread_getname_np(s_threads[i].thread, name, sizeof name) != 0) {
            snprintf(name, sizeof name, "?");
        }
        if (!blocked && used < size) {
            int n = snprintf(out + used, size - used, "%s\"%s\"", used > 0 ? ", " : "", name);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    pthread_mutex_unlock(&s_lock);
}
