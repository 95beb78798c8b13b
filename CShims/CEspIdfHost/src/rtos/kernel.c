/*
 * The host's FreeRTOS "kernel": one lock for every synchronisation object (as
 * the kernel's critical section on the chip), blocking with FreeRTOS timeouts,
 * and configASSERT failures reported the way ESP-IDF reports them.
 *
 * A blocked task waits on a condition variable and records it in its handle, so
 * vTaskDelete(task) and the host's shutdown wake it at once; it then ends in the
 * blocking call, as a deleted task on the chip never returns from it.  A thread
 * that is not a task (lwIP's, the host's) waits in 20 ms slices instead, so it
 * notices the shutdown.
 */
#include "rtos_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "esp_log.h"

pthread_mutex_t host_kernel_lock = PTHREAD_MUTEX_INITIALIZER;

#define NON_TASK_SLICE_US 20000u


static bool before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

host_timeout_t host_timeout_from_ticks(TickType_t ticks)
{
    host_timeout_t timeout = { .forever = ticks == portMAX_DELAY };
    if (!timeout.forever) {
        timeout.deadline = host_deadline_in_ms((uint64_t)ticks * portTICK_PERIOD_MS);
    }
    return timeout;
}

host_timeout_t host_timeout_at_us(uint64_t at_us)
{
    uint64_t now = host_now_us();
    host_timeout_t timeout = { .forever = false, .deadline = host_deadline_in_us(at_us > now ? at_us - now : 0) };
    return timeout;
}

host_wait_result_t host_kernel_wait(pthread_cond_t *cond, const host_timeout_t *timeout)
{
    struct host_task *self = host_current_task();
    if (self != NULL ? host_task_deletion_pending() : host_is_shutting_down()) {
        return HOST_WAIT_ENDED;
    }
    struct timespec now = host_clock_now();
    if (!timeout->forever && !before(&now, &timeout->deadline)) {
        return HOST_WAIT_TIMEOUT;
    }
    if (self != NULL) {
        self->blocked_on = cond;
        if (timeout->forever) {
            host_cond_wait(cond, &host_kernel_lock);
        } else {
            (void)host_cond_wait_until(cond, &host_kernel_lock, &timeout->deadline);
        }
        self->blocked_on = NULL;
        if (host_task_deletion_pending()) {
            return HOST_WAIT_ENDED;
        }
    } else {
        struct timespec slice = host_slice_deadline_in_ms(NON_TASK_SLICE_US / 1000u);
        if (!timeout->forever && before(&timeout->deadline, &slice)) {
            slice = timeout->deadline;
        }
        (void)host_cond_wait_until(cond, &host_kernel_lock, &slice);
        if (host_is_shutting_down()) {
            return HOST_WAIT_ENDED;
        }
    }
    now = host_clock_now();
    if (!timeout->forever && !before(&now, &timeout->deadline)) {
        return HOST_WAIT_TIMEOUT;
    }
    return HOST_WAIT_WOKEN;
}

void host_kernel_wait_ended(void)
{
    host_task_exit_if_deleted();
}

void host_freertos_assert_failed(const char *function, const char *file_line, const char *expression)
{
    char text[512];
    /* ESP-IDF's __assert_func with CONFIG_FREERTOS_ASSERT_FAIL_ABORT: "assert failed: func file:line (expr)" */
    int n = snprintf(text, sizeof text, "assert failed: %s %s (%s)\n", function, file_line, expression);
    if (n > 0) {
        ssize_t ignored = write(STDERR_FILENO, text, n < (int)sizeof text ? (size_t)n : sizeof text - 1);
        (void)ignored;
    }
    host_defect("freertos-assert", "FreeRTOS's configASSERT failed in %s (%s): ESP-IDF aborts here", function,
                expression);
    host_firmware_abort("aborted");
}
