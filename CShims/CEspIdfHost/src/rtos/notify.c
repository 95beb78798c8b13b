/*
 * Task notifications as FreeRTOS-Kernel 10.5.1 (ESP-IDF v5.4, tasks.c) has them,
 * with configTASK_NOTIFICATION_ARRAY_ENTRIES 1: a 32-bit value and a state
 * (not waiting / waiting / received) per task, under host_kernel_lock; the task
 * blocks on its own condition variable.
 */
#include "rtos_internal.h"

#include "freertos/task.h"

#define NOT_WAITING 0  /* taskNOT_WAITING_NOTIFICATION */
#define WAITING     1  /* taskWAITING_NOTIFICATION */
#define RECEIVED    2  /* taskNOTIFICATION_RECEIVED */

void host_task_notify_init(struct host_task *task)
{
    host_cond_init(&task->notify_cond);
    task->notify_value = 0;
    task->notify_state = NOT_WAITING;
}

static struct host_task *self_or_assert(const char *function, UBaseType_t index)
{
    HOST_FREERTOS_ASSERT(index < configTASK_NOTIFICATION_ARRAY_ENTRIES, function, "tasks.c");
    struct host_task *self = host_current_task();
    if (self == NULL) {
        host_freertos_assert_failed(function, "tasks.c", "called from a thread that is not a FreeRTOS task");
    }
    return self;
}

/* Blocks the calling task until notified or timed out (state WAITING set, kernel lock held); false if it ended. */
static bool wait_notified(struct host_task *self, TickType_t ticks)
{
    host_timeout_t timeout = host_timeout_from_ticks(ticks);
    while (self->notify_state == WAITING) {
        host_wait_result_t result = host_kernel_wait(&self->notify_cond, &timeout);
        if (result == HOST_WAIT_ENDED) {
            return false;
        }
        if (result == HOST_WAIT_TIMEOUT) {
            break;
        }
    }
    return true;
}

/* ulTaskGenericNotifyTake: waits while the value is 0; returns it, then zeroes or decrements it */
uint32_t ulTaskGenericNotifyTake(UBaseType_t uxIndexToWaitOn, BaseType_t xClearCountOnExit, TickType_t xTicksToWait)
{
    struct host_task *self = self_or_assert("ulTaskGenericNotifyTake", uxIndexToWaitOn);
    pthread_mutex_lock(&host_kernel_lock);
    if (self->notify_value == 0 && xTicksToWait > 0) {
        self->notify_state = WAITING;
        if (!wait_notified(self, xTicksToWait)) {
            self->notify_state = NOT_WAITING;
            pthread_mutex_unlock(&host_kernel_lock);
            host_kernel_wait_ended();
        }
    }
    uint32_t value = self->notify_value;
    if (value != 0) {
        self->notify_value = xClearCountOnExit != pdFALSE ? 0 : value - 1;
    }
    self->notify_state = NOT_WAITING;
    pthread_mutex_unlock(&host_kernel_lock);
    return value;
}

/* xTaskGenericNotifyWait: waits unless a notification is pending; pdTRUE if one was received */
BaseType_t xTaskGenericNotifyWait(UBaseType_t uxIndexToWaitOn, uint32_t ulBitsToClearOnEntry,
                                  uint32_t ulBitsToClearOnExit, uint32_t *pulNotificationValue,
                                  TickType_t xTicksToWait)
{
    struct host_task *self = self_or_assert("xTaskGenericNotifyWait", uxIndexToWaitOn);
    pthread_mutex_lock(&host_kernel_lock);
    if (self->notify_state != RECEIVED) {
        self->notify_value &= ~ulBitsToClearOnEntry;
        self->notify_state = WAITING;
        if (xTicksToWait > 0 && !wait_notified(self, xTicksToWait)) {
            self->notify_state = NOT_WAITING;
            pthread_mutex_unlock(&host_kernel_lock);
            host_kernel_wait_ended();
        }
    }
    if (pulNotificationValue != NULL) {
        *pulNotificationValue = self->notify_value;
    }
    BaseType_t received;
    if (self->notify_state != RECEIVED) {
        received = pdFALSE;
    } else {
        self->notify_value &= ~ulBitsToClearOnExit;
        received = pdTRUE;
    }
    self->notify_state = NOT_WAITING;
    pthread_mutex_unlock(&host_kernel_lock);
    return received;
}

/* xTaskGenericNotify: applies eAction, marks the notification received and unblocks a waiting task */
BaseType_t xTaskGenericNotify(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify, uint32_t ulValue,
                              eNotifyAction eAction, uint32_t *pulPreviousNotificationValue)
{
    HOST_FREERTOS_ASSERT(uxIndexToNotify < configTASK_NOTIFICATION_ARRAY_ENTRIES, "xTaskGenericNotify", "tasks.c");
    HOST_FREERTOS_ASSERT(xTaskToNotify != NULL, "xTaskGenericNotify", "tasks.c");
    struct host_task *task = xTaskToNotify;
    BaseType_t result = pdPASS;
    pthread_mutex_lock(&host_kernel_lock);
    if (pulPreviousNotificationValue != NULL) {
        *pulPreviousNotificationValue = task->notify_value;
    }
    uint8_t original = task->notify_state;
    task->notify_state = RECEIVED;
    switch (eAction) {
    case eSetBits:
        task->notify_value |= ulValue;
        break;
    case eIncrement:
        task->notify_value++;
        break;
    case eSetValueWithOverwrite:
        task->notify_value = ulValue;
        break;
    case eSetValueWithoutOverwrite:
        if (original != RECEIVED) {
            task->notify_value = ulValue;
        } else {
            result = pdFAIL;
        }
        break;
    case eNoAction:
        break;
    default:
        /* tasks.c: an action outside the enum is a configASSERT */
        pthread_mutex_unlock(&host_kernel_lock);
        host_freertos_assert_failed("xTaskGenericNotify", "tasks.c", "xTickCount == ( TickType_t ) 0 (bad eAction)");
    }
    if (original == WAITING) {
        pthread_cond_broadcast(&task->notify_cond);
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return result;
}

BaseType_t xTaskGenericNotifyFromISR(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify, uint32_t ulValue,
                                     eNotifyAction eAction, uint32_t *pulPreviousNotificationValue,
                                     BaseType_t *pxHigherPriorityTaskWoken)
{
    (void)pxHigherPriorityTaskWoken;
    return xTaskGenericNotify(xTaskToNotify, uxIndexToNotify, ulValue, eAction, pulPreviousNotificationValue);
}

void vTaskGenericNotifyGiveFromISR(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify,
                                   BaseType_t *pxHigherPriorityTaskWoken)
{
    (void)pxHigherPriorityTaskWoken;
    (void)xTaskGenericNotify(xTaskToNotify, uxIndexToNotify, 0, eIncrement, NULL);
}

/* xTaskGenericNotifyStateClear: pdPASS if a pending notification was cleared */
BaseType_t xTaskGenericNotifyStateClear(TaskHandle_t xTask, UBaseType_t uxIndexToClear)
{
    HOST_FREERTOS_ASSERT(uxIndexToClear < configTASK_NOTIFICATION_ARRAY_ENTRIES, "xTaskGenericNotifyStateClear",
                         "tasks.c");
    struct host_task *task = xTask != NULL ? xTask : host_current_task();
    pthread_mutex_lock(&host_kernel_lock);
    BaseType_t cleared = pdFAIL;
    if (task->notify_state == RECEIVED) {
        task->notify_state = NOT_WAITING;
        cleared = pdPASS;
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return cleared;
}

/* ulTaskGenericNotifyValueClear: returns the value before clearing the given bits */
uint32_t ulTaskGenericNotifyValueClear(TaskHandle_t xTask, UBaseType_t uxIndexToClear, uint32_t ulBitsToClear)
{
    HOST_FREERTOS_ASSERT(uxIndexToClear < configTASK_NOTIFICATION_ARRAY_ENTRIES, "ulTaskGenericNotifyValueClear",
                         "tasks.c");
    struct host_task *task = xTask != NULL ? xTask : host_current_task();
    pthread_mutex_lock(&host_kernel_lock);
    uint32_t value = task->notify_value;
    task->notify_value &= ~ulBitsToClear;
    pthread_mutex_unlock(&host_kernel_lock);
    return value;
}
