/*
 * Virtual time reaches what the host layer does not own (fuzz builds only):
 *
 *  - pthread_cond_signal/broadcast and pthread_create are wrapped at link time (-Wl,--wrap=…) for the host layer
 *    and the firmware: a broadcast first tells the bookkeeping its waiters are awake (a signal becomes a broadcast:
 *    which waiter a signal picks is not known, so all re-check, a spurious wake-up every waiter tolerates), and each
 *    thread they create (a FreeRTOS task, an httpd session) takes part from the moment it is created.
 *  - liblwip calls these through its PLT, so the executable's definitions win: sys_now is the virtual clock (lwIP's
 *    timers), the sys_arch waits are virtual waits (tcpip_thread, a socket call in an httpd task), a post or signal
 *    wakes them, and tcpip_inpkt hands a frame to lwIP at once under the core lock (lwIP's own
 *    LWIP_TCPIP_CORE_LOCKING_INPUT), so a frame is processed before the driver's netif->input returns and the run
 *    does not depend on when tcpip_thread is scheduled.
 *  - tcpip_thread waits for messages only; lwIP's timers run on the harness's thread when time reaches them
 *    (fuzz_lwip_timers_*), as sys_check_timeouts does on tcpip_thread, under the core lock.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/sys.h>
#include <lwip/tcpip.h>
#include <lwip/timeouts.h>

#include "base/base.h"
#include "netif/netif.h"

int __real_pthread_cond_broadcast(pthread_cond_t *cond);
int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);

int __wrap_pthread_cond_broadcast(pthread_cond_t *cond)
{
    host_vt_signalled(cond);
    return __real_pthread_cond_broadcast(cond);
}

int __wrap_pthread_cond_signal(pthread_cond_t *cond)
{
    host_vt_signalled(cond);
    return __real_pthread_cond_broadcast(cond);
}

typedef struct {
    void *(*start)(void *);
    void *arg;
    int slot;
} adopted_t;

static pthread_key_t s_leave_key;
static pthread_once_t s_leave_once = PTHREAD_ONCE_INIT;

static void leave_at_exit(void *unused)
{
    (void)unused;
    host_vt_leave();
}

static void make_leave_key(void)
{
    pthread_key_create(&s_leave_key, leave_at_exit);
}

static void *adopted_start(void *arg)
{
    adopted_t adopted = *(adopted_t *)arg;
    free(arg);
    host_vt_adopt_end(adopted.slot);
    pthread_setspecific(s_leave_key, (void *)1);   /* its destructor runs at pthread_exit too */
    return adopted.start(adopted.arg);
}

int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    if (!host_vt_enabled()) {
        return __real_pthread_create(thread, attr, start, arg);
    }
    pthread_once(&s_leave_once, make_leave_key);
    adopted_t *adopted = malloc(sizeof *adopted);
    if (adopted == NULL) {
        return EAGAIN;
    }
    adopted->start = start;
    adopted->arg = arg;
    adopted->slot = host_vt_adopt_begin();
    int err = __real_pthread_create(thread, attr, adopted_start, adopted);
    if (err != 0) {
        host_vt_adopt_cancel(adopted->slot);
        free(adopted);
    }
    return err;
}

/* liblwip's own definition of a function this file replaces */
#define REAL(name) \
    static __typeof__(&name) real_##name; \
    if (real_##name == NULL) { \
        real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name); \
        if (real_##name == NULL) abort(); \
    }

// MARK: - liblwip's clock, waits and input

u32_t sys_now(void)
{
    return (u32_t)host_now_ms();
}

err_t tcpip_inpkt(struct pbuf *p, struct netif *inp, netif_input_fn input_fn)
{
    const bool taken = host_core_lock();
    const err_t err = input_fn(p, inp);
    host_core_unlock(taken);
    return err;
}


/* lwIP's own threads (tcpip_thread) take part from their creation and wait for messages only. */
static __thread bool t_lwip_thread;

typedef struct {
    lwip_thread_fn fn;
    void *arg;
    int slot;
    char name[16];
} lwip_adopted_t;

static void lwip_thread_start(void *arg)
{
    lwip_adopted_t adopted = *(lwip_adopted_t *)arg;
    free(arg);
    host_vt_adopt_end(adopted.slot);
    pthread_setname_np(pthread_self(), adopted.name);
    t_lwip_thread = true;
    adopted.fn(adopted.arg);
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn function, void *arg, int stacksize, int prio)
{
    REAL(sys_thread_new)
    lwip_adopted_t *adopted = malloc(sizeof *adopted);
    if (!host_vt_enabled() || adopted == NULL) {
        free(adopted);
        return real_sys_thread_new(name, function, arg, stacksize, prio);
    }
    adopted->fn = function;
    adopted->arg = arg;
    snprintf(adopted->name, sizeof adopted->name, "%s", name != NULL ? name : "lwip");
    adopted->slot = host_vt_adopt_begin();
    return real_sys_thread_new(name, lwip_thread_start, adopted, stacksize, prio);
}

static uint64_t wait_deadline(u32_t timeout_ms)
{
    return (t_lwip_thread || timeout_ms == 0) ? UINT64_MAX : host_now_us() + (uint64_t)timeout_ms * 1000u;
}

/* Every post to an lwIP mailbox or semaphore is broadcast here too, after it is made: mailbox waits wait on
 * this condition (a virtual wait the controller can also end by time); semaphore waits poll in short slices, and
 * a signal wakes the virtual waits on that semaphore. */
static pthread_mutex_t s_posted_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_posted = PTHREAD_COND_INITIALIZER;

static __thread bool t_holds_posted_lock;   /* liblwip's tryfetch signals a semaphore itself */

static void posted(void)
{
    if (t_holds_posted_lock) {
        return;   /* the mailbox's own "room again" semaphore, signalled inside a fetch: nothing to receive */
    }
    pthread_mutex_lock(&s_posted_lock);
    pthread_cond_broadcast(&s_posted);
    pthread_mutex_unlock(&s_posted_lock);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
    REAL(sys_arch_mbox_fetch)
    REAL(sys_arch_mbox_tryfetch)
    if (!host_vt_enabled()) {
        return real_sys_arch_mbox_fetch(mbox, msg, timeout);
    }
    const uint64_t start = host_now_us();
    const uint64_t deadline = wait_deadline(timeout);
    u32_t result = SYS_ARCH_TIMEOUT;
    pthread_mutex_lock(&s_posted_lock);
    t_holds_posted_lock = true;
    for (;;) {
        if (real_sys_arch_mbox_tryfetch(mbox, msg) != SYS_MBOX_EMPTY) {
            result = (u32_t)((host_now_us() - start) / 1000u);
            break;
        }
        if (!host_vt_wait(&s_posted, &s_posted_lock, deadline)) {
            if (real_sys_arch_mbox_tryfetch(mbox, msg) != SYS_MBOX_EMPTY) {
                result = (u32_t)((host_now_us() - start) / 1000u);
            }
            break;
        }
    }
    t_holds_posted_lock = false;
    pthread_mutex_unlock(&s_posted_lock);
    return result;
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
    REAL(sys_arch_sem_wait)
    if (!host_vt_enabled()) {
        return real_sys_arch_sem_wait(sem, timeout);
    }
    const uint64_t start = host_now_us();
    void *wait = host_vt_foreign_begin(sem, wait_deadline(timeout));
    for (;;) {
        if (real_sys_arch_sem_wait(sem, 2) != SYS_ARCH_TIMEOUT) {
            host_vt_foreign_taken(sem);
            host_vt_foreign_end(wait);
            return (u32_t)((host_now_us() - start) / 1000u);
        }
        if (host_vt_foreign_should_return(wait)) {
            host_vt_foreign_end(wait);
            return SYS_ARCH_TIMEOUT;
        }
    }
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
    REAL(sys_mbox_post)
    real_sys_mbox_post(mbox, msg);
    posted();
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
    REAL(sys_mbox_trypost)
    err_t err = real_sys_mbox_trypost(mbox, msg);
    posted();
    return err;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
    return sys_mbox_trypost(mbox, msg);
}

void sys_sem_signal(sys_sem_t *sem)
{
    REAL(sys_sem_signal)
    host_vt_foreign_signalled(sem);   /* first: a waiter that finds the post pending counts as running */
    real_sys_sem_signal(sem);
    posted();
}

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    REAL(sys_sem_new)
    const err_t err = real_sys_sem_new(sem, count);
    if (err == ERR_OK) {
        host_vt_foreign_created(sem, count);
    }
    return err;
}

void sys_sem_free(sys_sem_t *sem)
{
    REAL(sys_sem_free)
    host_vt_foreign_freed(sem);
    real_sys_sem_free(sem);
}

// MARK: - lwIP's timers on the controller

static uint64_t lwip_timers_next_us(void)
{
    const bool taken = host_core_lock();
    const u32_t sleep = sys_timeouts_sleeptime();
    host_core_unlock(taken);
    return sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? UINT64_MAX : host_now_us() + (uint64_t)sleep * 1000u;
}

static void lwip_timers_run(void)
{
    const bool taken = host_core_lock();
    sys_check_timeouts();
    host_core_unlock(taken);
}

void fuzz_vt_hooks_install(void)
{
    host_vt_set_timer_source(lwip_timers_next_us, lwip_timers_run);
}
