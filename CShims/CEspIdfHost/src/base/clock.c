/*
 * One clock for the whole host layer: CLOCK_MONOTONIC from the moment the
 * program was loaded ("boot"), so xTaskGetTickCount, esp_timer_get_time and the
 * log timestamps agree with each other and never jump with the wall clock.
 *
 * With virtual time on (virtual_time.c, the fuzzer), "now" is the virtual clock,
 * deadlines are boot + virtual microseconds in the same struct timespec, and every
 * wait below goes through the virtual-time bookkeeping; slices (periodic re-checks
 * for a deleted task) are not needed there, as every wake-up is a broadcast.
 */
#include "base/base.h"

#include <errno.h>

#include "CEspIdfHost.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static struct timespec s_boot;

__attribute__((constructor)) static void host_clock_boot(void)
{
    clock_gettime(CLOCK_MONOTONIC, &s_boot);
}

void CEspIdfHost_resetClock(void)
{
    clock_gettime(CLOCK_MONOTONIC, &s_boot);
}

static uint64_t since_boot_us(const struct timespec *t)
{
    if (t->tv_sec < s_boot.tv_sec || (t->tv_sec == s_boot.tv_sec && t->tv_nsec < s_boot.tv_nsec)) {
        return 0;
    }
    return (uint64_t)(t->tv_sec - s_boot.tv_sec) * 1000000u + (uint64_t)((t->tv_nsec - s_boot.tv_nsec) / 1000);
}

static struct timespec at_boot_plus_us(uint64_t us)
{
    struct timespec t = s_boot;
    t.tv_sec += (time_t)(us / 1000000u);
    t.tv_nsec += (long)(us % 1000000u) * 1000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec += 1;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

uint64_t host_now_us(void)
{
    if (host_vt_enabled()) {
        return host_vt_now_us();
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - s_boot.tv_sec) * 1000000u + (uint64_t)((now.tv_nsec - s_boot.tv_nsec) / 1000);
}

uint64_t host_now_ms(void)
{
    return host_now_us() / 1000u;
}

struct timespec host_clock_now(void)
{
    if (host_vt_enabled()) {
        return at_boot_plus_us(host_vt_now_us());
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

struct timespec host_deadline_in_us(uint64_t us)
{
    if (host_vt_enabled()) {
        return at_boot_plus_us(host_vt_now_us() + us);
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(us / 1000000u);
    t.tv_nsec += (long)(us % 1000000u) * 1000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec += 1;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

struct timespec host_deadline_in_ms(uint64_t ms)
{
    return host_deadline_in_us(ms * 1000u);
}

void host_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
}

struct timespec host_slice_deadline_in_ms(uint64_t ms)
{
    /* virtual time: no slice, the wait ends when it is woken (1000 years of virtual time is "never") */
    return host_deadline_in_ms(host_vt_enabled() ? 1000ull * 365 * 24 * 3600 * 1000 : ms);
}

bool host_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline)
{
    if (host_vt_enabled()) {
        return host_vt_wait(cond, mutex, since_boot_us(deadline));
    }
    return pthread_cond_timedwait(cond, mutex, deadline) != ETIMEDOUT;
}

void host_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    if (host_vt_enabled()) {
        (void)host_vt_wait(cond, mutex, UINT64_MAX);
        return;
    }
    pthread_cond_wait(cond, mutex);
}

static pthread_mutex_t s_sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_sleep_never;   /* nobody signals it: only time ends a virtual sleep */
static pthread_once_t s_sleep_once = PTHREAD_ONCE_INIT;

static void sleep_init(void)
{
    host_cond_init(&s_sleep_never);
}

void host_sleep_ms(uint64_t ms)
{
    if (host_vt_enabled()) {
        pthread_once(&s_sleep_once, sleep_init);
        pthread_mutex_lock(&s_sleep_lock);
        const uint64_t until = host_vt_now_us() + ms * 1000u;
        while (host_vt_wait(&s_sleep_never, &s_sleep_lock, until)) {
        }
        pthread_mutex_unlock(&s_sleep_lock);
        return;
    }
    struct timespec pause = { .tv_sec = (time_t)(ms / 1000u), .tv_nsec = (long)(ms % 1000u) * 1000000L };
    nanosleep(&pause, NULL);
}

int64_t esp_timer_get_time(void)
{
    return (int64_t)host_now_us();
}

TickType_t xTaskGetTickCount(void)
{
    /* wraps at 2^32 ticks like FreeRTOS's counter (497 days at 100 Hz) */
    return (TickType_t)(host_now_ms() / portTICK_PERIOD_MS);
}

TickType_t xTaskGetTickCountFromISR(void)
{
    return xTaskGetTickCount();
}
