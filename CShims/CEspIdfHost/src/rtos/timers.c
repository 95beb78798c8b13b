/*
 * FreeRTOS software timers as FreeRTOS-Kernel 10.5.1 (ESP-IDF v5.4, timers.c)
 * runs them: the API posts commands to a queue; one timer service task
 * ("Tmr Svc") keeps the active timers sorted by expiry tick, runs their
 * callbacks one after the other and executes pended function calls.  Expiry
 * ticks are kept in 64 bits here, so the tick overflow lists are not needed.
 */
#include "rtos_internal.h"

#include <stdlib.h>

#include "esp_log.h"
#include "freertos/queue.h"
#include "freertos/timers.h"

struct tmrTimerControl {
    const char *name;         /* the caller's string, as FreeRTOS keeps it */
    TickType_t period;
    bool auto_reload;
    bool active;              /* tmrSTATUS_IS_ACTIVE */
    bool is_static;
    void *id;
    TimerCallbackFunction_t callback;
    /* the service task's active list, ordered by expiry */
    bool in_list;
    uint64_t expiry;
    struct tmrTimerControl *next;
};

typedef struct {
    BaseType_t id;            /* tmrCOMMAND_…, negative for a pended function call */
    TickType_t value;         /* xMessageValue */
    TimerHandle_t timer;
    PendedFunction_t function;
    void *parameter1;
    uint32_t parameter2;
} message_t;

static pthread_mutex_t s_start_lock = PTHREAD_MUTEX_INITIALIZER;
static QueueHandle_t s_queue;          /* xTimerQueue */
static TaskHandle_t s_daemon;          /* xTimerTaskHandle */
static struct tmrTimerControl *s_active;  /* under host_kernel_lock, changed only by the service task */

static uint64_t ticks_now(void)
{
    return host_now_ms() / portTICK_PERIOD_MS;
}

/* The 64-bit tick of a 32-bit tick count taken recently (xMessageValue). */
static uint64_t widen(TickType_t ticks, uint64_t now)
{
    return now - (uint32_t)((uint32_t)now - ticks);
}

static void list_remove(struct tmrTimerControl *timer)
{
    for (struct tmrTimerControl **at = &s_active; *at != NULL; at = &(*at)->next) {
        if (*at == timer) {
            *at = timer->next;
            break;
        }
    }
    timer->in_list = false;
}

/* vListInsert: after every timer with the same expiry, so equal expiries run in the order they were armed */
static void list_insert(struct tmrTimerControl *timer)
{
    struct tmrTimerControl **at = &s_active;
    while (*at != NULL && (*at)->expiry <= timer->expiry) {
        at = &(*at)->next;
    }
    timer->next = *at;
    *at = timer;
    timer->in_list = true;
}

/* prvInsertTimerInActiveList: true when the expiry already passed by a whole period since the command */
static bool insert_active(struct tmrTimerControl *timer, uint64_t expiry, uint64_t now, uint64_t command_time)
{
    timer->expiry = expiry;
    if (expiry <= now && now - command_time >= timer->period) {
        return true;
    }
    list_insert(timer);
    return false;
}

/* prvReloadTimer: one callback per period missed, until the next expiry is in the future (kernel lock held) */
static void reload(struct tmrTimerControl *timer, uint64_t expired, uint64_t now)
{
    while (insert_active(timer, expired + timer->period, now, expired)) {
        expired += timer->period;
        TimerCallbackFunction_t callback = timer->callback;
        pthread_mutex_unlock(&host_kernel_lock);
        callback(timer);
        pthread_mutex_lock(&host_kernel_lock);
    }
}

/* prvProcessExpiredTimer */
static void process_expired(uint64_t expired, uint64_t now)
{
    pthread_mutex_lock(&host_kernel_lock);
    struct tmrTimerControl *timer = s_active;
    list_remove(timer);
    if (timer->auto_reload) {
        reload(timer, expired, now);
    } else {
        timer->active = false;
    }
    TimerCallbackFunction_t callback = timer->callback;
    pthread_mutex_unlock(&host_kernel_lock);
    callback(timer);
}

/* one message of prvProcessReceivedCommands */
static void process_command(const message_t *message)
{
    if (message->id < 0) {
        message->function(message->parameter1, message->parameter2);
        return;
    }
    struct tmrTimerControl *timer = message->timer;
    pthread_mutex_lock(&host_kernel_lock);
    if (timer->in_list) {
        list_remove(timer);
    }
    const uint64_t now = ticks_now();
    switch (message->id) {
    case tmrCOMMAND_START:
    case tmrCOMMAND_START_FROM_ISR:
    case tmrCOMMAND_RESET:
    case tmrCOMMAND_RESET_FROM_ISR: {
        timer->active = true;
        const uint64_t command_time = widen(message->value, now);
        if (insert_active(timer, command_time + timer->period, now, command_time)) {
            /* it expired before the service task got to the command: run it now */
            if (timer->auto_reload) {
                reload(timer, command_time + timer->period, now);
            } else {
                timer->active = false;
            }
            TimerCallbackFunction_t callback = timer->callback;
            pthread_mutex_unlock(&host_kernel_lock);
            callback(timer);
            return;
        }
        break;
    }
    case tmrCOMMAND_STOP:
    case tmrCOMMAND_STOP_FROM_ISR:
        timer->active = false;
        break;
    case tmrCOMMAND_CHANGE_PERIOD:
    case tmrCOMMAND_CHANGE_PERIOD_FROM_ISR:
        /* the new period counts from now, and the timer becomes active */
        timer->active = true;
        timer->period = message->value;
        if (timer->period == 0) {
            pthread_mutex_unlock(&host_kernel_lock);
            host_freertos_assert_failed("prvProcessReceivedCommands", "timers.c:952",
                                        "( pxTimer->xTimerPeriodInTicks > 0 )");
        }
        (void)insert_active(timer, now + timer->period, now, now);
        break;
    case tmrCOMMAND_DELETE:
        timer->active = false;
        if (!timer->is_static) {
            free(timer);
        }
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&host_kernel_lock);
}

static void timer_task(void *arg)
{
    (void)arg;
    for (;;) {
        /* prvGetNextExpireTime, then prvProcessTimerOrBlockTask */
        pthread_mutex_lock(&host_kernel_lock);
        const bool empty = s_active == NULL;
        const uint64_t next = empty ? 0 : s_active->expiry;
        pthread_mutex_unlock(&host_kernel_lock);
        const uint64_t now = ticks_now();
        message_t message;
        if (!empty && next <= now) {
            process_expired(next, now);
        } else {
            host_timeout_t timeout = { .forever = true };
            if (!empty) {
                timeout = host_timeout_at_us(next * portTICK_PERIOD_MS * 1000u);
            }
            if (host_queue_receive_until(s_queue, &message, &timeout) == pdPASS) {
                process_command(&message);
            }
        }
        /* prvProcessReceivedCommands */
        while (xQueueReceive(s_queue, &message, 0) == pdPASS) {
            process_command(&message);
        }
        host_task_exit_if_deleted();
    }
}

/* xTimerCreateTimerTask: on ESP-IDF it starts with the scheduler; here on first use */
BaseType_t host_timer_daemon_start(void)
{
    pthread_mutex_lock(&s_start_lock);
    if (s_queue == NULL) {
        s_queue = xQueueCreate(configTIMER_QUEUE_LENGTH, sizeof(message_t));
    }
    if (s_queue != NULL && s_daemon == NULL) {
        if (xTaskCreatePinnedToCore(timer_task, "Tmr Svc", configTIMER_TASK_STACK_DEPTH, NULL,
                                    configTIMER_TASK_PRIORITY, &s_daemon, tskNO_AFFINITY) != pdPASS) {
            s_daemon = NULL;
        }
    }
    BaseType_t started = s_daemon != NULL ? pdPASS : pdFAIL;
    pthread_mutex_unlock(&s_start_lock);
    return started;
}

static TimerHandle_t create(const char *name, TickType_t period, BaseType_t auto_reload, void *id,
                            TimerCallbackFunction_t callback, bool is_static)
{
    /* prvInitialiseNewTimer */
    HOST_FREERTOS_ASSERT(period > 0, "prvInitialiseNewTimer", "timers.c:352");
    if (host_timer_daemon_start() != pdPASS) {
        return NULL;
    }
    struct tmrTimerControl *timer = calloc(1, sizeof *timer);
    if (timer == NULL) {
        return NULL;
    }
    timer->name = name;
    timer->period = period;
    timer->auto_reload = auto_reload != pdFALSE;
    timer->id = id;
    timer->callback = callback;
    timer->is_static = is_static;
    return timer;
}

TimerHandle_t xTimerCreate(const char *const pcTimerName, const TickType_t xTimerPeriodInTicks,
                           const BaseType_t xAutoReload, void *const pvTimerID,
                           TimerCallbackFunction_t pxCallbackFunction)
{
    return create(pcTimerName, xTimerPeriodInTicks, xAutoReload, pvTimerID, pxCallbackFunction, false);
}

TimerHandle_t xTimerCreateStatic(const char *const pcTimerName, const TickType_t xTimerPeriodInTicks,
                                 const BaseType_t xAutoReload, void *const pvTimerID,
                                 TimerCallbackFunction_t pxCallbackFunction, StaticTimer_t *pxTimerBuffer)
{
    HOST_FREERTOS_ASSERT(pxTimerBuffer != NULL, "xTimerCreateStatic", "timers.c:318");
    return create(pcTimerName, xTimerPeriodInTicks, xAutoReload, pvTimerID, pxCallbackFunction, true);
}

/* xTimerGenericCommand: posts to the service task's queue; a task may wait for room, an "ISR" may not */
BaseType_t xTimerGenericCommand(TimerHandle_t xTimer, const BaseType_t xCommandID, const TickType_t xOptionalValue,
                                BaseType_t *const pxHigherPriorityTaskWoken, const TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "xTimerGenericCommand", "timers.c:460");
    if (host_timer_daemon_start() != pdPASS) {
        return pdFAIL;
    }
    message_t message = { .id = xCommandID, .value = xOptionalValue, .timer = xTimer };
    if (xCommandID < tmrFIRST_FROM_ISR_COMMAND) {
        return xQueueSendToBack(s_queue, &message, xTicksToWait);
    }
    return xQueueSendToBackFromISR(s_queue, &message, pxHigherPriorityTaskWoken);
}

BaseType_t xTimerPendFunctionCall(PendedFunction_t xFunctionToPend, void *pvParameter1, uint32_t ulParameter2,
                                  TickType_t xTicksToWait)
{
    /* xTimerPendFunctionCall: only after the scheduler started, which it always has here */
    HOST_FREERTOS_ASSERT(xFunctionToPend != NULL, "xTimerPendFunctionCall", "timers.c:1153");
    if (host_timer_daemon_start() != pdPASS) {
        return pdFAIL;
    }
    message_t message = { .id = tmrCOMMAND_EXECUTE_CALLBACK, .function = xFunctionToPend,
                          .parameter1 = pvParameter1, .parameter2 = ulParameter2 };
    return xQueueSendToBack(s_queue, &message, xTicksToWait);
}

BaseType_t xTimerPendFunctionCallFromISR(PendedFunction_t xFunctionToPend, void *pvParameter1, uint32_t ulParameter2,
                                         BaseType_t *pxHigherPriorityTaskWoken)
{
    if (host_timer_daemon_start() != pdPASS) {
        return pdFAIL;
    }
    message_t message = { .id = tmrCOMMAND_EXECUTE_CALLBACK_FROM_ISR, .function = xFunctionToPend,
                          .parameter1 = pvParameter1, .parameter2 = ulParameter2 };
    return xQueueSendFromISR(s_queue, &message, pxHigherPriorityTaskWoken);
}

TaskHandle_t xTimerGetTimerDaemonTaskHandle(void)
{
    (void)host_timer_daemon_start();
    return s_daemon;
}

/* xTimerIsTimerActive reads the status the service task keeps: a start not yet processed reads as dormant */
BaseType_t xTimerIsTimerActive(TimerHandle_t xTimer)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "xTimerIsTimerActive", "timers.c:1076");
    pthread_mutex_lock(&host_kernel_lock);
    BaseType_t active = xTimer->active ? pdTRUE : pdFALSE;
    pthread_mutex_unlock(&host_kernel_lock);
    return active;
}

void *pvTimerGetTimerID(const TimerHandle_t xTimer)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "pvTimerGetTimerID", "timers.c:1103");
    pthread_mutex_lock(&host_kernel_lock);
    void *id = xTimer->id;
    pthread_mutex_unlock(&host_kernel_lock);
    return id;
}

void vTimerSetTimerID(TimerHandle_t xTimer, void *pvNewID)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "vTimerSetTimerID", "timers.c:1120");
    pthread_mutex_lock(&host_kernel_lock);
    xTimer->id = pvNewID;
    pthread_mutex_unlock(&host_kernel_lock);
}

const char *pcTimerGetName(TimerHandle_t xTimer)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "pcTimerGetName", "timers.c:587");
    return xTimer->name;
}

void vTimerSetReloadMode(TimerHandle_t xTimer, const BaseType_t xAutoReload)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "vTimerSetReloadMode", "timers.c:514");
    pthread_mutex_lock(&host_kernel_lock);
    xTimer->auto_reload = xAutoReload != pdFALSE;
    pthread_mutex_unlock(&host_kernel_lock);
}

BaseType_t xTimerGetReloadMode(TimerHandle_t xTimer)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "xTimerGetReloadMode", "timers.c:536");
    pthread_mutex_lock(&host_kernel_lock);
    BaseType_t mode = xTimer->auto_reload ? pdTRUE : pdFALSE;
    pthread_mutex_unlock(&host_kernel_lock);
    return mode;
}

UBaseType_t uxTimerGetReloadMode(TimerHandle_t xTimer)
{
    return (UBaseType_t)xTimerGetReloadMode(xTimer);
}

TickType_t xTimerGetPeriod(TimerHandle_t xTimer)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "xTimerGetPeriod", "timers.c:567");
    pthread_mutex_lock(&host_kernel_lock);
    TickType_t period = xTimer->period;
    pthread_mutex_unlock(&host_kernel_lock);
    return period;
}

TickType_t xTimerGetExpiryTime(TimerHandle_t xTimer)
{
    HOST_FREERTOS_ASSERT(xTimer != NULL, "xTimerGetExpiryTime", "timers.c:577");
    pthread_mutex_lock(&host_kernel_lock);
    TickType_t expiry = (TickType_t)xTimer->expiry;
    pthread_mutex_unlock(&host_kernel_lock);
    return expiry;
}
