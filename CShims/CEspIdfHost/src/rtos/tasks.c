/*
 * FreeRTOS tasks on pthreads.  A task is a detached thread with a FreeRTOS-style
 * handle; the calling task is found through a thread-local pointer.  Deleting
 * another task can only be cooperative (see freertos/task.h), so deletion is a
 * flag that the host layer's blocking calls check; a task blocked in a FreeRTOS
 * object (queue, semaphore, event group, notification) is woken for it.
 */
#include "rtos_internal.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CEspIdfHost.h"
#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

/* What the layers above must do when a task is deleted or the host shuts down (wake their own waiters, stop their
 * servers): they register it here, so the scheduler never names them. */
#define MAX_HOOKS 8
static pthread_mutex_t s_hook_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*s_wake_hooks[MAX_HOOKS])(void);
static void (*s_shutdown_hooks[MAX_HOOKS])(void);

static void add_hook(void (*hooks[MAX_HOOKS])(void), void (*hook)(void))
{
    pthread_mutex_lock(&s_hook_lock);
    for (int i = 0; i < MAX_HOOKS; i++) {
        if (hooks[i] == hook) {
            break;
        }
        if (hooks[i] == NULL) {
            hooks[i] = hook;
            break;
        }
    }
    pthread_mutex_unlock(&s_hook_lock);
}

static void run_hooks(void (*hooks[MAX_HOOKS])(void))
{
    void (*copy[MAX_HOOKS])(void);
    pthread_mutex_lock(&s_hook_lock);
    memcpy(copy, hooks, sizeof copy);
    pthread_mutex_unlock(&s_hook_lock);
    for (int i = 0; i < MAX_HOOKS && copy[i] != NULL; i++) {
        copy[i]();
    }
}

void host_rtos_on_wake(void (*hook)(void))
{
    add_hook(s_wake_hooks, hook);
}

void host_rtos_on_shutdown(void (*hook)(void))
{
    add_hook(s_shutdown_hooks, hook);
}
static struct host_task *s_tasks;
static volatile int s_shutting_down;
static __thread struct host_task *t_current;

/* main task bookkeeping (CEspIdfHost_startMainTask) */
static pthread_mutex_t s_main_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_main_cond;
static pthread_once_t s_main_once = PTHREAD_ONCE_INIT;
static int s_main_returned;

static void unlink_task(struct host_task *task)
{
    pthread_mutex_lock(&s_lock);
    for (struct host_task **at = &s_tasks; *at != NULL; at = &(*at)->next) {
        if (*at == task) {
            *at = task->next;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
}

/* Wakes the task if it is blocked in a FreeRTOS object (s_lock held, then the kernel lock). */
static void wake_blocked(struct host_task *task)
{
    pthread_mutex_lock(&host_kernel_lock);
    if (task->blocked_on != NULL) {
        pthread_cond_broadcast(task->blocked_on);
    }
    pthread_mutex_unlock(&host_kernel_lock);
}

static void end_current_task(void) __attribute__((noreturn));
static void end_current_task(void)
{
    struct host_task *task = t_current;
    if (task != NULL) {
        host_task_stack_leave(task);
        unlink_task(task);
        t_current = NULL;
        pthread_cond_destroy(&task->notify_cond);
        free(task);
    }
    pthread_exit(NULL);
}

static void *task_main(void *arg)
{
    struct host_task *task = arg;
    t_current = task;
    host_task_stack_enter(task);
    pthread_setname_np(pthread_self(), task->name);
    task->code(task->parameters);
    /* FreeRTOS tasks must end with vTaskDelete(NULL); returning is a crash on an ESP32. */
    host_defect("task-returned", "task \"%s\" returned from its function instead of calling vTaskDelete(NULL) "
                "(on an ESP32 this aborts)", task->name);
    end_current_task();
}

BaseType_t xTaskCreatePinnedToCore(TaskFunction_t pxTaskCode, const char *const pcName, const uint32_t usStackDepth,
                                   void *const pvParameters, UBaseType_t uxPriority, TaskHandle_t *const pxCreatedTask,
                                   const BaseType_t xCoreID)
{
    (void)xCoreID;
    if (pxTaskCode == NULL) {
        return errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY;
    }
    struct host_task *task = calloc(1, sizeof *task);
    if (task == NULL) {
        return errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY;
    }
    snprintf(task->name, sizeof task->name, "%s", pcName != NULL ? pcName : "task");
    task->code = pxTaskCode;
    task->parameters = pvParameters;
    task->priority = uxPriority;
    host_task_notify_init(task);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    task->stack_requested = usStackDepth;
    host_task_stack_attr(&attr, usStackDepth);  /* the size it asked for, with a guard: task_stack.c */
    pthread_mutex_lock(&s_lock);
    task->next = s_tasks;
    s_tasks = task;
    /* the handle must be valid before the task can run and delete itself */
    if (pxCreatedTask != NULL) {
        *pxCreatedTask = task;
    }
    int err = pthread_create(&task->thread, &attr, task_main, task);
    if (err != 0) {
        s_tasks = task->next;
    }
    pthread_mutex_unlock(&s_lock);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        pthread_cond_destroy(&task->notify_cond);
        free(task);
        if (pxCreatedTask != NULL) {
            *pxCreatedTask = NULL;
        }
        return errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY;
    }
    return pdPASS;
}

BaseType_t xTaskCreate(TaskFunction_t pxTaskCode, const char *const pcName, const uint32_t usStackDepth,
                       void *const pvParameters, UBaseType_t uxPriority, TaskHandle_t *const pxCreatedTask)
{
    return xTaskCreatePinnedToCore(pxTaskCode, pcName, usStackDepth, pvParameters, uxPriority, pxCreatedTask,
                                   tskNO_AFFINITY);
}

void vTaskDelete(TaskHandle_t xTaskToDelete)
{
    if (xTaskToDelete == NULL || xTaskToDelete == t_current) {
        end_current_task();
    }
    pthread_mutex_lock(&s_lock);
    for (struct host_task *task = s_tasks; task != NULL; task = task->next) {
        if (task == xTaskToDelete) {
            task->delete_requested = 1;
            wake_blocked(task);
        }
    }
    pthread_mutex_unlock(&s_lock);
    run_hooks(s_wake_hooks);
}

bool host_task_deletion_pending(void)
{
    return t_current != NULL && (t_current->delete_requested || s_shutting_down);
}

bool host_is_shutting_down(void)
{
    return s_shutting_down != 0;
}

void host_task_exit_if_deleted(void)
{
    if (host_task_deletion_pending()) {
        end_current_task();
    }
}

void vTaskDelay(const TickType_t xTicksToDelay)
{
    if (xTicksToDelay == 0) {
        sched_yield();
        host_task_exit_if_deleted();
        return;
    }
    /* sliced so a deleted task ends within 20 ms */
    const uint64_t until = host_now_ms() + (uint64_t)xTicksToDelay * portTICK_PERIOD_MS;
    for (;;) {
        host_task_exit_if_deleted();
        uint64_t now = host_now_ms();
        if (now >= until) {
            return;
        }
        uint64_t slice = until - now < 20 ? until - now : 20;
        host_sleep_ms(slice);  /* virtual under the fuzzer (base/clock.c) */
    }
}

/* xTaskDelayUntil (tasks.c): wakes at *pxPreviousWakeTime + xTimeIncrement and advances it by exactly the
 * increment; returns pdFALSE without delaying when that time has already passed. */
BaseType_t xTaskDelayUntil(TickType_t *const pxPreviousWakeTime, const TickType_t xTimeIncrement)
{
    configASSERT(pxPreviousWakeTime != NULL);
    configASSERT(xTimeIncrement > 0U);
    const TickType_t now = xTaskGetTickCount();
    const TickType_t wake = *pxPreviousWakeTime + xTimeIncrement;
    BaseType_t should_delay;
    /* as FreeRTOS: the tick count may have wrapped since the previous wake time */
    if (now < *pxPreviousWakeTime) {
        should_delay = wake < *pxPreviousWakeTime && wake > now;
    } else {
        should_delay = wake < *pxPreviousWakeTime || wake > now;
    }
    *pxPreviousWakeTime = wake;
    if (should_delay) {
        vTaskDelay(wake - now);
    } else {
        host_task_exit_if_deleted();
    }
    return should_delay ? pdTRUE : pdFALSE;
}

void vTaskDelayUntil(TickType_t *const pxPreviousWakeTime, const TickType_t xTimeIncrement)
{
    (void)xTaskDelayUntil(pxPreviousWakeTime, xTimeIncrement);
}

void vPortYield(void)
{
    sched_yield();
    host_task_exit_if_deleted();
}

struct host_task *host_current_task(void)
{
    return t_current;
}

void *host_current_holder(void)
{
    static __thread char token;
    return t_current != NULL ? (void *)t_current : (void *)&token;
}

TaskHandle_t xTaskGetCurrentTaskHandle(void)
{
    return t_current;
}

char *pcTaskGetName(TaskHandle_t xTaskToQuery)
{
    struct host_task *task = xTaskToQuery != NULL ? xTaskToQuery : t_current;
    return task != NULL ? task->name : NULL;
}

UBaseType_t uxTaskPriorityGet(TaskHandle_t xTask)
{
    struct host_task *task = xTask != NULL ? xTask : t_current;
    return task != NULL ? task->priority : 0;
}

/* ESP-IDF's main task: runs app_main, then logs its return and deletes itself. */
static void init_main_cond(void)
{
    host_cond_init(&s_main_cond);
}

static void main_task(void *arg)
{
    void (*entry)(void) = (void (*)(void))arg;
    entry();
    host_log_line(ESP_LOG_INFO, "main_task", "Returned from app_main()");
    pthread_mutex_lock(&s_main_lock);
    s_main_returned = 1;
    pthread_cond_broadcast(&s_main_cond);
    pthread_mutex_unlock(&s_main_lock);
    vTaskDelete(NULL);
}

void CEspIdfHost_startMainTask(void (*entry)(void))
{
    pthread_once(&s_main_once, init_main_cond);
    TaskHandle_t handle;
    /* ESP-IDF: CONFIG_ESP_MAIN_TASK_STACK_SIZE 3584, priority 1 */
    if (xTaskCreate(main_task, "main", 3584, (void *)entry, 1, &handle) != pdPASS) {
        host_log_line(ESP_LOG_ERROR, HOST_TAG, "cannot start the main task");
    }
}

int CEspIdfHost_waitMainReturned(int timeout_ms)
{
    pthread_once(&s_main_once, init_main_cond);
    struct timespec deadline = host_deadline_in_ms(timeout_ms > 0 ? (uint64_t)timeout_ms : 0);
    pthread_mutex_lock(&s_main_lock);
    while (!s_main_returned) {
        if (!host_cond_wait_until(&s_main_cond, &s_main_lock, &deadline)) {
            break;
        }
    }
    int returned = s_main_returned;
    pthread_mutex_unlock(&s_main_lock);
    return returned;
}

void CEspIdfHost_shutdown(void)
{
    s_shutting_down = 1;
    pthread_mutex_lock(&s_lock);
    for (struct host_task *task = s_tasks; task != NULL; task = task->next) {
        task->delete_requested = 1;
        wake_blocked(task);
    }
    pthread_mutex_unlock(&s_lock);
    run_hooks(s_wake_hooks);
    run_hooks(s_shutdown_hooks);
}
