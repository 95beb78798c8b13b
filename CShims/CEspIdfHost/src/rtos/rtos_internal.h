/*
 * Shared declarations of the host's FreeRTOS and esp_timer objects (src/rtos
 * only).  One kernel lock guards every queue, semaphore, event group, timer and
 * task notification, as FreeRTOS's kernel critical section does; a blocked
 * task waits on a condition variable with that lock and records it, so
 * vTaskDelete and shutdown can wake it at once.
 */
#ifndef ESP_IDF_HOST_RTOS_INTERNAL_H
#define ESP_IDF_HOST_RTOS_INTERNAL_H

#include "rtos/rtos.h"

#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

struct host_task {
    pthread_t thread;
    char name[configMAX_TASK_NAME_LEN];
    TaskFunction_t code;
    void *parameters;
    UBaseType_t priority;
    volatile int delete_requested;
    /* under host_kernel_lock: the condition the task is blocked on, or NULL */
    pthread_cond_t *blocked_on;
    /* task notification (index 0, configTASK_NOTIFICATION_ARRAY_ENTRIES is 1), under host_kernel_lock */
    pthread_cond_t notify_cond;
    uint32_t notify_value;
    uint8_t notify_state;
    /* task_stack.c: the stack the task asked for, its guard pages [guard_low, guard_high), its signal stack */
    uint32_t stack_requested;
    uintptr_t guard_low, guard_high;
    void *signal_stack;
    struct host_task *next;
};

/* task_stack.c: the thread attributes for a task's stack of `requested` bytes (usStackDepth), and what the task's
 * own thread does first and last (note its guard pages, install and remove its signal stack). */
void host_task_stack_attr(pthread_attr_t *attr, uint32_t requested);
void host_task_stack_enter(struct host_task *task);
void host_task_stack_leave(struct host_task *task);

extern pthread_mutex_t host_kernel_lock;

/* How long a blocking call may wait: forever (portMAX_DELAY) or until an absolute CLOCK_MONOTONIC time. */
typedef struct {
    bool forever;
    struct timespec deadline;
} host_timeout_t;

typedef enum { HOST_WAIT_WOKEN, HOST_WAIT_TIMEOUT, HOST_WAIT_ENDED } host_wait_result_t;

/* A timeout of `ticks` FreeRTOS ticks from now (at least ticks * portTICK_PERIOD_MS ms). */
host_timeout_t host_timeout_from_ticks(TickType_t ticks);
/* A timeout at an absolute host_now_us() time. */
host_timeout_t host_timeout_at_us(uint64_t at_us);
/*
 * With host_kernel_lock held: blocks on cond until it is signalled, the timeout
 * passes or the calling task is deleted (HOST_WAIT_ENDED: also the host shutting
 * down, for a thread that is not a task).  Spurious wake-ups return WOKEN.
 */
host_wait_result_t host_kernel_wait(pthread_cond_t *cond, const host_timeout_t *timeout);
/* After HOST_WAIT_ENDED, with host_kernel_lock released: ends the calling task (returns for a non-task thread). */
void host_kernel_wait_ended(void);

/* The calling task, or NULL on a thread that is not a FreeRTOS task. */
struct host_task *host_current_task(void);
/* An identity for the calling thread (its task, or a per-thread token): a mutex holder. */
void *host_current_holder(void);

/* A failed configASSERT in the FreeRTOS kernel: ESP-IDF prints "assert failed: …" and aborts. */
void host_freertos_assert_failed(const char *function, const char *file_line, const char *expression)
    __attribute__((noreturn));
#define HOST_FREERTOS_ASSERT(expr, function, file_line) \
    do { if (!(expr)) host_freertos_assert_failed((function), (file_line), #expr); } while (0)

/* queue.c: xQueueReceive with an absolute timeout (the timer service task waits until the next expiry). */
struct QueueDefinition;
BaseType_t host_queue_receive_until(struct QueueDefinition *queue, void *buffer, const host_timeout_t *timeout);

/* timers.c: the timer service task ("Tmr Svc"), started on first use. */
BaseType_t host_timer_daemon_start(void);

/* notify.c */
void host_task_notify_init(struct host_task *task);

#endif
