/*
 * One clock for the whole host layer: CLOCK_MONOTONIC from the moment the
 * program was loaded ("boot"), so xTaskGetTickCount, esp_timer_get_time and the
 * log timestamps agree with each other and never jump with the wall clock.
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

uint64_t host_now_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - s_boot.tv_sec) * 1000000u + (uint64_t)((now.tv_nsec - s_boot.tv_nsec) / 1000);
}

uint64_t host_now_ms(void)
{
    return host_now_us() / 1000u;
}

struct timespec host_deadline_in_us(uint64_t us)
{
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

bool host_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline)
{
    return pthread_cond_timedwait(cond, mutex, deadline) != ETIMEDOUT;
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
