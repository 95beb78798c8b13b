/*
 * Measures the host layer's FreeRTOS objects and esp_timer from inside firmware:
 * queues, semaphores, mutexes, event groups, software timers, task
 * notifications, esp_timer, and tasks deleted while blocked.  Each check logs one
 * "probe <name>: key=value …" line the test reads (FreeRTOSSemanticsTests).
 * Results are proved by counters and hand-offs between tasks, never by sleeping;
 * the only timed checks assert lower bounds.
 *
 * The last step gives a mutex the task does not hold, which FreeRTOS's
 * configASSERT in xTaskPriorityDisinherit turns into an abort on ESP-IDF: the
 * device must abort the same way.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "freertos/timers.h"

static const char *TAG = "probe";

#define WAIT_5S pdMS_TO_TICKS(5000)

static void probe_give_semaphore(void *semaphore, uint32_t unused);

static uint32_t ms_since(int64_t start_us)
{
    return (uint32_t)((esp_timer_get_time() - start_us) / 1000);
}

/* ---- running a step in another task and getting its int result ---- */

typedef int (*step_fn)(void *arg);
struct step {
    step_fn fn;
    void *arg;
    QueueHandle_t result;
};

static void step_task(void *arg)
{
    struct step *step = arg;
    int value = step->fn(step->arg);
    xQueueSend(step->result, &value, portMAX_DELAY);
    vTaskDelete(NULL);
}

/* Runs fn(arg) in a new task and returns its result (-999 if it gives none within 5 s). */
static int in_other_task(const char *name, step_fn fn, void *arg)
{
    struct step step = { .fn = fn, .arg = arg, .result = xQueueCreate(1, sizeof(int)) };
    int value = -999;
    if (xTaskCreate(step_task, name, 4096, &step, 5, NULL) == pdPASS) {
        (void)xQueueReceive(step.result, &value, WAIT_5S);
    }
    vQueueDelete(step.result);
    return value;
}

/* ---- queues ---- */

static void check_queues(void)
{
    QueueHandle_t q = xQueueCreate(4, sizeof(int));
    int v1 = 1, v2 = 2, v0 = 0, a = -1, b = -1, c = -1;
    xQueueSend(q, &v1, 0);
    xQueueSendToBack(q, &v2, 0);
    xQueueSendToFront(q, &v0, 0);
    xQueueReceive(q, &a, 0);
    xQueueReceive(q, &b, 0);
    xQueueReceive(q, &c, 0);
    ESP_LOGI(TAG, "probe queue-order: a=%d b=%d c=%d", a, b, c);
    vQueueDelete(q);

    q = xQueueCreate(2, sizeof(int));
    int s1 = xQueueSend(q, &v1, 0), s2 = xQueueSend(q, &v2, 0);
    int full = xQueueSend(q, &v0, 0);
    unsigned spaces = uxQueueSpacesAvailable(q), waiting = uxQueueMessagesWaiting(q);
    int r1 = xQueueReceive(q, &a, 0), r2 = xQueueReceive(q, &b, 0);
    int empty = xQueueReceive(q, &c, 0);
    ESP_LOGI(TAG, "probe queue-full: s1=%d s2=%d full=%d errfull=%d spaces=%u waiting=%u r1=%d r2=%d empty=%d "
             "errempty=%d", s1, s2, full, (int)errQUEUE_FULL, spaces, waiting, r1, r2, empty, (int)errQUEUE_EMPTY);

    /* a blocking receive on an empty queue returns after its ticks, not before */
    int64_t t0 = esp_timer_get_time();
    int timed = xQueueReceive(q, &a, 5);
    ESP_LOGI(TAG, "probe queue-timed: rc=%d ms=%" PRIu32, timed, ms_since(t0));
    xQueueSend(q, &v1, 0);
    xQueueSend(q, &v2, 0);
    t0 = esp_timer_get_time();
    timed = xQueueSend(q, &v0, 5);
    ESP_LOGI(TAG, "probe queue-send-timed: rc=%d ms=%" PRIu32, timed, ms_since(t0));
    int reset = xQueueReset(q);
    ESP_LOGI(TAG, "probe queue-reset: rc=%d waiting=%u spaces=%u", reset, (unsigned)uxQueueMessagesWaiting(q),
             (unsigned)uxQueueSpacesAvailable(q));
    vQueueDelete(q);

    q = xQueueCreate(1, sizeof(int));
    int v5 = 5, v7 = 7, peek = -1, got = -1;
    int o1 = xQueueOverwrite(q, &v5), o2 = xQueueOverwrite(q, &v7);
    int pk = xQueuePeek(q, &peek, 0);
    unsigned after_peek = uxQueueMessagesWaiting(q);
    xQueueReceive(q, &got, 0);
    ESP_LOGI(TAG, "probe queue-overwrite: o1=%d o2=%d pk=%d peek=%d waiting=%u got=%d", o1, o2, pk, peek, after_peek,
             got);

    BaseType_t woken = pdFALSE;
    int v9 = 9, isr_got = -1;
    int isr_send = xQueueSendFromISR(q, &v9, &woken);
    int isr_full = xQueueSendToBackFromISR(q, &v9, &woken);
    int isr_recv = xQueueReceiveFromISR(q, &isr_got, &woken);
    ESP_LOGI(TAG, "probe queue-isr: send=%d full=%d recv=%d v=%d woken=%d empty=%d", isr_send, isr_full, isr_recv,
             isr_got, (int)woken, (int)xQueueIsQueueEmptyFromISR(q));
    vQueueDelete(q);

    static StaticQueue_t static_queue;
    static uint8_t storage[3 * sizeof(uint32_t)];
    q = xQueueCreateStatic(3, sizeof(uint32_t), storage, &static_queue);
    uint32_t word = 0xA5A5A5A5u;
    xQueueSend(q, &word, 0);
    uint32_t in_storage;
    memcpy(&in_storage, storage, sizeof in_storage);
    ESP_LOGI(TAG, "probe queue-static: created=%d in_storage=%d", q != NULL, in_storage == word);
    vQueueDelete(q);
}

/* a consumer blocked forever gets an item sent later */
static QueueHandle_t s_handoff;
static int receive_forever(void *arg)
{
    (void)arg;
    int value = -1;
    return xQueueReceive(s_handoff, &value, portMAX_DELAY) == pdTRUE ? value : -2;
}

static void check_handoff(void)
{
    s_handoff = xQueueCreate(1, sizeof(int));
    struct step step = { .fn = receive_forever, .result = xQueueCreate(1, sizeof(int)) };
    xTaskCreate(step_task, "consumer", 4096, &step, 5, NULL);
    int value = 42, got = -999;
    xQueueSend(s_handoff, &value, portMAX_DELAY);
    xQueueReceive(step.result, &got, WAIT_5S);
    ESP_LOGI(TAG, "probe queue-handoff: got=%d", got);
}

/* ---- semaphores and mutexes ---- */

static SemaphoreHandle_t s_mutex;
static int take_mutex_now(void *arg)
{
    (void)arg;
    int taken = xSemaphoreTake(s_mutex, 0);
    if (taken == pdTRUE) {
        xSemaphoreGive(s_mutex);
    }
    return taken;
}

static int take_recursive_now(void *arg)
{
    (void)arg;
    int taken = xSemaphoreTakeRecursive(s_mutex, 0);
    if (taken == pdTRUE) {
        xSemaphoreGiveRecursive(s_mutex);
    }
    return taken;
}

static int give_recursive_not_holding(void *arg)
{
    (void)arg;
    return xSemaphoreGiveRecursive(s_mutex);
}

static void check_semaphores(void)
{
    SemaphoreHandle_t bin = xSemaphoreCreateBinary();
    int initial = uxSemaphoreGetCount(bin);
    int take0 = xSemaphoreTake(bin, 0);
    int give1 = xSemaphoreGive(bin);
    int give2 = xSemaphoreGive(bin);
    int take1 = xSemaphoreTake(bin, 0);
    BaseType_t woken = pdFALSE;
    int isr_give = xSemaphoreGiveFromISR(bin, &woken);
    int isr_take = xSemaphoreTakeFromISR(bin, &woken);
    ESP_LOGI(TAG, "probe binary: initial=%d take0=%d give1=%d give2=%d take1=%d isr_give=%d isr_take=%d", initial,
             take0, give1, give2, take1, isr_give, isr_take);
    int64_t t0 = esp_timer_get_time();
    int timed = xSemaphoreTake(bin, 3);
    ESP_LOGI(TAG, "probe binary-timed: rc=%d ms=%" PRIu32, timed, ms_since(t0));
    vSemaphoreDelete(bin);

    SemaphoreHandle_t counting = xSemaphoreCreateCounting(3, 1);
    int c_initial = uxSemaphoreGetCount(counting);
    int g1 = xSemaphoreGive(counting), g2 = xSemaphoreGive(counting), g3 = xSemaphoreGive(counting);
    int c_full = uxSemaphoreGetCount(counting);
    int takes = 0;
    while (xSemaphoreTake(counting, 0) == pdTRUE) {
        takes++;
    }
    ESP_LOGI(TAG, "probe counting: initial=%d g1=%d g2=%d g3=%d full=%d takes=%d after=%d", c_initial, g1, g2, g3,
             c_full, takes, (int)uxSemaphoreGetCount(counting));
    vSemaphoreDelete(counting);

    s_mutex = xSemaphoreCreateMutex();
    int free_give = xSemaphoreGive(s_mutex);  /* not taken: the one-item queue is full */
    int m_take = xSemaphoreTake(s_mutex, 0);
    int holder_is_me = xSemaphoreGetMutexHolder(s_mutex) == xTaskGetCurrentTaskHandle();
    int other_while_held = in_other_task("m-other", take_mutex_now, NULL);
    int m_give = xSemaphoreGive(s_mutex);
    int other_after = in_other_task("m-other", take_mutex_now, NULL);
    ESP_LOGI(TAG, "probe mutex: free_give=%d take=%d holder_is_me=%d other_while_held=%d give=%d other_after=%d "
             "holder_after=%d", free_give, m_take, holder_is_me, other_while_held, m_give, other_after,
             xSemaphoreGetMutexHolder(s_mutex) == NULL);
    vSemaphoreDelete(s_mutex);

    s_mutex = xSemaphoreCreateRecursiveMutex();
    int t1 = xSemaphoreTakeRecursive(s_mutex, 0);
    int t2 = xSemaphoreTakeRecursive(s_mutex, 0);
    int t3 = xSemaphoreTakeRecursive(s_mutex, 0);
    int count_held = uxSemaphoreGetCount(s_mutex);
    int other_give = in_other_task("r-other", give_recursive_not_holding, NULL);
    xSemaphoreGiveRecursive(s_mutex);
    xSemaphoreGiveRecursive(s_mutex);
    int other_after_two = in_other_task("r-other", take_recursive_now, NULL);
    int last_give = xSemaphoreGiveRecursive(s_mutex);
    int other_after_three = in_other_task("r-other", take_recursive_now, NULL);
    int extra_give = xSemaphoreGiveRecursive(s_mutex);
    ESP_LOGI(TAG, "probe recursive: takes=%d count_held=%d other_give=%d other_after_two=%d last_give=%d "
             "other_after_three=%d extra_give=%d", t1 + t2 + t3, count_held, other_give, other_after_two, last_give,
             other_after_three, extra_give);
    vSemaphoreDelete(s_mutex);
}

/* ---- event groups ---- */

#define BIT_A (1u << 0)
#define BIT_B (1u << 1)
#define BIT_C (1u << 2)

static EventGroupHandle_t s_group;
static int wait_all_forever(void *arg)
{
    (void)arg;
    return (int)xEventGroupWaitBits(s_group, BIT_A | BIT_B, pdTRUE, pdTRUE, portMAX_DELAY);
}

static int sync_other(void *arg)
{
    (void)arg;
    return (int)xEventGroupSync(s_group, BIT_B, BIT_A | BIT_B, WAIT_5S);
}

static void check_event_groups(void)
{
    s_group = xEventGroupCreate();
    int set_a = (int)xEventGroupSetBits(s_group, BIT_A);
    /* wait for all of A|B with only A set: times out after its ticks, returns the bits, clears nothing */
    int64_t t0 = esp_timer_get_time();
    int partial = (int)xEventGroupWaitBits(s_group, BIT_A | BIT_B, pdTRUE, pdTRUE, 3);
    uint32_t partial_ms = ms_since(t0);
    int still = (int)xEventGroupGetBits(s_group);
    /* any-bit wait with clear on exit: returns at once and clears only the bits waited for */
    xEventGroupSetBits(s_group, BIT_C);
    int any = (int)xEventGroupWaitBits(s_group, BIT_A | BIT_B, pdTRUE, pdFALSE, 0);
    int after_any = (int)xEventGroupGetBits(s_group);
    int cleared = (int)xEventGroupClearBits(s_group, BIT_C);
    ESP_LOGI(TAG, "probe eg-wait: set_a=%d partial=%d partial_ms=%" PRIu32 " still=%d any=%d after_any=%d "
             "clear_returned=%d now=%d", set_a, partial, partial_ms, still, any, after_any, cleared,
             (int)xEventGroupGetBits(s_group));

    /* another task waits forever for A and B with clear on exit */
    struct step step = { .fn = wait_all_forever, .result = xQueueCreate(1, sizeof(int)) };
    xTaskCreate(step_task, "eg-waiter", 4096, &step, 5, NULL);
    xEventGroupSetBits(s_group, BIT_A);
    xEventGroupSetBits(s_group, BIT_B);
    int waiter_got = -999;
    xQueueReceive(step.result, &waiter_got, WAIT_5S);
    ESP_LOGI(TAG, "probe eg-all: waiter_got=%d bits_after=%d", waiter_got, (int)xEventGroupGetBits(s_group));

    /* rendezvous: both sides see A|B, and the bits are cleared afterwards */
    xEventGroupClearBits(s_group, BIT_A | BIT_B | BIT_C);
    struct step sync_step = { .fn = sync_other, .result = xQueueCreate(1, sizeof(int)) };
    xTaskCreate(step_task, "eg-sync", 4096, &sync_step, 5, NULL);
    int mine = (int)xEventGroupSync(s_group, BIT_A, BIT_A | BIT_B, WAIT_5S);
    int theirs = -999;
    xQueueReceive(sync_step.result, &theirs, WAIT_5S);
    ESP_LOGI(TAG, "probe eg-sync: mine=%d theirs=%d after=%d", mine & (BIT_A | BIT_B), theirs & (BIT_A | BIT_B),
             (int)xEventGroupGetBits(s_group));

    /* FromISR: deferred to the timer service task, which sets the bit a moment later */
    BaseType_t woken = pdFALSE;
    int isr = xEventGroupSetBitsFromISR(s_group, BIT_C, &woken);
    int isr_seen = (int)xEventGroupWaitBits(s_group, BIT_C, pdFALSE, pdFALSE, WAIT_5S);
    int isr_clear = xEventGroupClearBitsFromISR(s_group, BIT_C);
    /* a pended call queued after the clear runs after it: then the bit is gone */
    SemaphoreHandle_t done = xSemaphoreCreateBinary();
    xTimerPendFunctionCall(probe_give_semaphore, done, 0, WAIT_5S);
    xSemaphoreTake(done, WAIT_5S);
    ESP_LOGI(TAG, "probe eg-isr: set=%d seen=%d clear=%d after=%d", isr, isr_seen & BIT_C, isr_clear,
             (int)xEventGroupGetBits(s_group));
    vSemaphoreDelete(done);
    vEventGroupDelete(s_group);
}

/* ---- software timers ---- */

static void probe_give_semaphore(void *semaphore, uint32_t unused)
{
    (void)unused;
    xSemaphoreGive((SemaphoreHandle_t)semaphore);
}

static volatile int s_auto_fires, s_once_fires;
static volatile int s_auto_saw_active;
static SemaphoreHandle_t s_auto_five;
static char s_callback_task[configMAX_TASK_NAME_LEN];
static volatile int s_callback_tasks_differ;

static void note_task(void)
{
    const char *name = pcTaskGetName(NULL);
    if (s_callback_task[0] == 0) {
        snprintf(s_callback_task, sizeof s_callback_task, "%s", name);
    } else if (strcmp(s_callback_task, name) != 0) {
        s_callback_tasks_differ = 1;
    }
}

static void auto_callback(TimerHandle_t timer)
{
    note_task();
    s_auto_saw_active = xTimerIsTimerActive(timer);
    if (++s_auto_fires == 5) {
        xSemaphoreGive(s_auto_five);
    }
}

static void once_callback(TimerHandle_t timer)
{
    note_task();
    s_once_fires++;
}

static char s_order[8];
static int s_order_len;
static SemaphoreHandle_t s_order_done;
static void order_callback(TimerHandle_t timer)
{
    note_task();
    s_order[s_order_len++] = (char)(intptr_t)pvTimerGetTimerID(timer);
    if (s_order_len == 3) {
        xSemaphoreGive(s_order_done);
    }
}

/* Waits until the timer service task has processed every command sent so far (they run in order). */
static void timer_commands_flush(void)
{
    SemaphoreHandle_t done = xSemaphoreCreateBinary();
    xTimerPendFunctionCall(probe_give_semaphore, done, 0, WAIT_5S);
    xSemaphoreTake(done, WAIT_5S);
    vSemaphoreDelete(done);
}

static void check_timers(void)
{
    s_auto_five = xSemaphoreCreateBinary();
    TimerHandle_t autot = xTimerCreate("auto", 2, pdTRUE, (void *)1, auto_callback);
    TimerHandle_t once = xTimerCreate("once", 2, pdFALSE, (void *)2, once_callback);
    int dormant = xTimerIsTimerActive(autot);
    int start_auto = xTimerStart(autot, WAIT_5S);
    int start_once = xTimerStart(once, WAIT_5S);
    int five = xSemaphoreTake(s_auto_five, WAIT_5S);
    int stop = xTimerStop(autot, WAIT_5S);
    timer_commands_flush();
    int active_after_stop = xTimerIsTimerActive(autot);
    int once_active = xTimerIsTimerActive(once);
    int fires_at_stop = s_auto_fires;
    ESP_LOGI(TAG, "probe timer-reload: dormant=%d start_auto=%d start_once=%d five=%d stop=%d auto_fires=%d "
             "once_fires=%d active_in_callback=%d active_after_stop=%d once_active=%d", dormant, start_auto,
             start_once, five, stop, fires_at_stop, s_once_fires, s_auto_saw_active, active_after_stop, once_active);

    const char *name = pcTimerGetName(autot);
    void *id = pvTimerGetTimerID(autot);
    vTimerSetTimerID(autot, (void *)77);
    ESP_LOGI(TAG, "probe timer-id: name_ok=%d id=%d new_id=%d period=%u reload=%d", strcmp(name, "auto") == 0,
             (int)(intptr_t)id, (int)(intptr_t)pvTimerGetTimerID(autot), (unsigned)xTimerGetPeriod(autot),
             (int)xTimerGetReloadMode(autot));

    /* three one-shots started C, A, B with periods 60, 20, 40 ticks fire A, B, C on the one service task */
    s_order_done = xSemaphoreCreateBinary();
    TimerHandle_t c = xTimerCreate("C", 60, pdFALSE, (void *)'C', order_callback);
    TimerHandle_t a = xTimerCreate("A", 20, pdFALSE, (void *)'A', order_callback);
    TimerHandle_t b = xTimerCreate("B", 40, pdFALSE, (void *)'B', order_callback);
    int64_t t0 = esp_timer_get_time();
    xTimerStart(c, WAIT_5S);
    xTimerStart(a, WAIT_5S);
    xTimerStart(b, WAIT_5S);
    int all = xSemaphoreTake(s_order_done, WAIT_5S);
    uint32_t order_ms = ms_since(t0);
    ESP_LOGI(TAG, "probe timer-order: all=%d order=%s ms=%" PRIu32 " one_task=%d svc=%d task=%s", all, s_order,
             order_ms, !s_callback_tasks_differ, xTimerGetTimerDaemonTaskHandle() != NULL &&
             strcmp(pcTaskGetName(xTimerGetTimerDaemonTaskHandle()), s_callback_task) == 0, s_callback_task);

    /* xTimerChangePeriod on a dormant timer starts it; xTimerReset restarts a one-shot that already fired */
    s_once_fires = 0;
    int change = xTimerChangePeriod(once, 3, WAIT_5S);
    while (s_once_fires < 1) {
        vTaskDelay(1);
    }
    int reset = xTimerReset(once, WAIT_5S);
    while (s_once_fires < 2) {
        vTaskDelay(1);
    }
    ESP_LOGI(TAG, "probe timer-change: change=%d reset=%d fires=%d period=%u", change, reset, s_once_fires,
             (unsigned)xTimerGetPeriod(once));
    int del_a = xTimerDelete(a, WAIT_5S), del_b = xTimerDelete(b, WAIT_5S), del_c = xTimerDelete(c, WAIT_5S);
    int del_auto = xTimerDelete(autot, WAIT_5S), del_once = xTimerDelete(once, WAIT_5S);
    timer_commands_flush();
    ESP_LOGI(TAG, "probe timer-delete: rc=%d", del_a && del_b && del_c && del_auto && del_once);
}

/* ---- task notifications ---- */

static int take_notification_forever(void *arg)
{
    (void)arg;
    return (int)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
}

static void check_notifications(void)
{
    TaskHandle_t me = xTaskGetCurrentTaskHandle();
    xTaskNotifyGive(me);
    xTaskNotifyGive(me);
    xTaskNotifyGive(me);
    uint32_t first = ulTaskNotifyTake(pdFALSE, 0);   /* returns 3, leaves 2 */
    uint32_t second = ulTaskNotifyTake(pdTRUE, 0);   /* returns 2, leaves 0 */
    int64_t t0 = esp_timer_get_time();
    uint32_t none = ulTaskNotifyTake(pdTRUE, 3);
    ESP_LOGI(TAG, "probe notify-count: first=%" PRIu32 " second=%" PRIu32 " none=%" PRIu32 " ms=%" PRIu32, first,
             second, none, ms_since(t0));

    uint32_t value = 0;
    xTaskNotify(me, 0x1, eSetBits);
    xTaskNotify(me, 0x4, eSetBits);
    int bits_rc = xTaskNotifyWait(0, 0xffffffffu, &value, 0);
    uint32_t bits = value;
    int again = xTaskNotifyWait(0, 0, &value, 0);
    ESP_LOGI(TAG, "probe notify-bits: rc=%d bits=%" PRIu32 " again=%d after=%" PRIu32, bits_rc, bits, again, value);

    int w1 = xTaskNotify(me, 7, eSetValueWithoutOverwrite);
    int w2 = xTaskNotify(me, 9, eSetValueWithoutOverwrite);
    xTaskNotifyWait(0, 0, &value, 0);
    uint32_t kept = value;
    uint32_t previous = 0;
    int w3 = xTaskNotifyAndQuery(me, 11, eSetValueWithOverwrite, &previous);
    xTaskNotifyWait(0, 0, &value, 0);
    uint32_t overwritten = value;
    int na = xTaskNotify(me, 123, eNoAction);
    int na_pending = xTaskNotifyWait(0, 0, &value, 0);
    ESP_LOGI(TAG, "probe notify-values: w1=%d w2=%d kept=%" PRIu32 " w3=%d previous=%" PRIu32 " overwritten=%" PRIu32
             " noaction=%d pending=%d value=%" PRIu32, w1, w2, kept, w3, previous, overwritten, na, na_pending, value);

    /* the value stays 11 until cleared: ulTaskNotifyValueClear returns it and zeroes the given bits */
    uint32_t before_clear = ulTaskNotifyValueClear(me, 0xffffffffu);
    BaseType_t woken = pdFALSE;
    vTaskNotifyGiveFromISR(me, &woken);
    int isr_rc = xTaskNotifyFromISR(me, 0, eIncrement, &woken);
    uint32_t isr_taken = ulTaskNotifyTake(pdTRUE, 0);
    ESP_LOGI(TAG, "probe notify-isr: before_clear=%" PRIu32 " rc=%d taken=%" PRIu32 " woken=%d", before_clear, isr_rc,
             isr_taken, (int)woken);

    /* another task blocked forever in ulTaskNotifyTake is released by one give */
    struct step step = { .fn = take_notification_forever, .result = xQueueCreate(1, sizeof(int)) };
    TaskHandle_t waiter = NULL;
    xTaskCreate(step_task, "ntf-waiter", 4096, &step, 5, &waiter);
    xTaskNotifyGive(waiter);
    int got = -999;
    xQueueReceive(step.result, &got, WAIT_5S);
    ESP_LOGI(TAG, "probe notify-task: got=%d", got);
}

/* ---- esp_timer ---- */

static volatile int s_periodic_fires;
static volatile int s_restart_in_callback = -1;
static SemaphoreHandle_t s_periodic_five, s_once_done;
static char s_esp_timer_task[configMAX_TASK_NAME_LEN];
static esp_timer_handle_t s_periodic;

static void periodic_callback(void *arg)
{
    (void)arg;
    snprintf(s_esp_timer_task, sizeof s_esp_timer_task, "%s", pcTaskGetName(NULL));
    if (s_restart_in_callback == -1) {
        /* esp_timer re-arms a periodic timer before its callback runs: starting it again is INVALID_STATE */
        s_restart_in_callback = esp_timer_start_periodic(s_periodic, 10000);
    }
    if (++s_periodic_fires == 5) {
        xSemaphoreGive(s_periodic_five);
    }
}

static void once_esp_callback(void *arg)
{
    (*(volatile int *)arg)++;
    xSemaphoreGive(s_once_done);
}

static void check_esp_timer(void)
{
    static volatile int once_fires;
    esp_timer_handle_t timer = NULL;
    int null_args = esp_timer_create(NULL, &timer);
    esp_timer_create_args_t args = { .callback = once_esp_callback, .arg = (void *)&once_fires, .name = "once" };
    int created = esp_timer_create(&args, &timer);
    int stop_idle = esp_timer_stop(timer);
    int restart_idle = esp_timer_restart(timer, 1000);
    int active_idle = esp_timer_is_active(timer);
    s_once_done = xSemaphoreCreateBinary();
    int start = esp_timer_start_once(timer, 200000);
    int start_again = esp_timer_start_periodic(timer, 1000);
    int active = esp_timer_is_active(timer);
    int delete_armed = esp_timer_delete(timer);
    int stop = esp_timer_stop(timer);
    int start_short = esp_timer_start_once(timer, 20000);
    int fired = xSemaphoreTake(s_once_done, WAIT_5S);
    int active_after = esp_timer_is_active(timer);
    int del = esp_timer_delete(timer);
    ESP_LOGI(TAG, "probe esp_timer-codes: null_args=%d created=%d stop_idle=%d restart_idle=%d active_idle=%d "
             "start=%d start_again=%d active=%d delete_armed=%d stop=%d start_short=%d fired=%d fires=%d "
             "active_after=%d delete=%d", null_args, created, stop_idle, restart_idle, active_idle, start,
             start_again, active, delete_armed, stop, start_short, fired, once_fires, active_after, del);

    s_periodic_five = xSemaphoreCreateBinary();
    esp_timer_create_args_t periodic_args = { .callback = periodic_callback, .name = "periodic" };
    esp_timer_create(&periodic_args, &s_periodic);
    int64_t t0 = esp_timer_get_time();
    int p_start = esp_timer_start_periodic(s_periodic, 10000);
    int five = xSemaphoreTake(s_periodic_five, WAIT_5S);
    uint32_t ms = ms_since(t0);
    int p_stop = esp_timer_stop(s_periodic);
    int p_delete = esp_timer_delete(s_periodic);
    ESP_LOGI(TAG, "probe esp_timer-periodic: start=%d five=%d ms=%" PRIu32 " restart_in_callback=%d stop=%d "
             "delete=%d task=%s", p_start, five, ms, s_restart_in_callback, p_stop, p_delete, s_esp_timer_task);
}

/* ---- tasks deleted while blocked ---- */

static QueueHandle_t s_victim_queue;
static SemaphoreHandle_t s_victim_sem, s_victims_ready;
static EventGroupHandle_t s_victim_group;

static void victim_queue(void *arg)
{
    int value;
    xSemaphoreGive(s_victims_ready);
    xQueueReceive(s_victim_queue, &value, portMAX_DELAY);
    ESP_LOGI(TAG, "probe VICTIM-RETURNED: queue");
    vTaskDelete(NULL);
}

static void victim_semaphore(void *arg)
{
    xSemaphoreGive(s_victims_ready);
    xSemaphoreTake(s_victim_sem, portMAX_DELAY);
    ESP_LOGI(TAG, "probe VICTIM-RETURNED: semaphore");
    vTaskDelete(NULL);
}

static void victim_group(void *arg)
{
    xSemaphoreGive(s_victims_ready);
    xEventGroupWaitBits(s_victim_group, BIT_A, pdTRUE, pdTRUE, portMAX_DELAY);
    ESP_LOGI(TAG, "probe VICTIM-RETURNED: event group");
    vTaskDelete(NULL);
}

static void victim_notify(void *arg)
{
    xSemaphoreGive(s_victims_ready);
    ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    ESP_LOGI(TAG, "probe VICTIM-RETURNED: notification");
    vTaskDelete(NULL);
}

/* Threads of this process whose name (the task name) starts with "victim". */
static int victim_threads(void)
{
    int count = 0;
    DIR *dir = opendir("/proc/self/task");
    if (dir == NULL) {
        return -1;
    }
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char path[300], name[32] = "";
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", entry->d_name);
        FILE *file = fopen(path, "r");
        if (file != NULL) {
            if (fgets(name, sizeof name, file) != NULL && strncmp(name, "victim", 6) == 0) {
                count++;
            }
            fclose(file);
        }
    }
    closedir(dir);
    return count;
}

static void check_deletion(void)
{
    s_victim_queue = xQueueCreate(4, sizeof(int));
    s_victim_sem = xSemaphoreCreateBinary();
    s_victim_group = xEventGroupCreate();
    s_victims_ready = xSemaphoreCreateCounting(4, 0);
    TaskHandle_t victims[4];
    xTaskCreate(victim_queue, "victim-q", 4096, NULL, 5, &victims[0]);
    xTaskCreate(victim_semaphore, "victim-sem", 4096, NULL, 5, &victims[1]);
    xTaskCreate(victim_group, "victim-eg", 4096, NULL, 5, &victims[2]);
    xTaskCreate(victim_notify, "victim-ntf", 4096, NULL, 5, &victims[3]);
    int ready = 0;
    while (ready < 4 && xSemaphoreTake(s_victims_ready, WAIT_5S) == pdTRUE) {
        ready++;
    }
    int alive_before = victim_threads();
    for (int i = 0; i < 4; i++) {
        vTaskDelete(victims[i]);
    }
    /* the deleted tasks' threads end by themselves; nothing they wait for has happened */
    int64_t t0 = esp_timer_get_time();
    int alive = victim_threads();
    while (alive > 0 && ms_since(t0) < 5000) {
        vTaskDelay(1);
        alive = victim_threads();
    }
    uint32_t ended_ms = ms_since(t0);
    /* what they waited for happens now: nobody is left to take it */
    int value = 1;
    xQueueSend(s_victim_queue, &value, 0);
    xSemaphoreGive(s_victim_sem);
    xEventGroupSetBits(s_victim_group, BIT_A);
    ESP_LOGI(TAG, "probe delete-blocked: ready=%d alive_before=%d alive_after=%d ended_ms=%" PRIu32, ready,
             alive_before, alive, ended_ms);
}

static void check_deletion_leftovers(void)
{
    /* long after: the item, the semaphore and the bit are all still there */
    ESP_LOGI(TAG, "probe delete-leftovers: queue=%u sem=%u bits=%d", (unsigned)uxQueueMessagesWaiting(s_victim_queue),
             (unsigned)uxSemaphoreGetCount(s_victim_sem), (int)xEventGroupGetBits(s_victim_group));
}

/* ---- the last step: a mutex given by a task that does not hold it ---- */

static int take_and_keep(void *arg)
{
    (void)arg;
    return xSemaphoreTake(s_mutex, 0);
}

static void probe_task(void *arg)
{
    (void)arg;
    check_deletion();
    check_queues();
    check_handoff();
    check_semaphores();
    check_event_groups();
    check_timers();
    check_notifications();
    check_esp_timer();
    check_deletion_leftovers();
    ESP_LOGI(TAG, "probe done");

    s_mutex = xSemaphoreCreateMutex();
    int taken_by_other = in_other_task("holder", take_and_keep, NULL);
    ESP_LOGI(TAG, "probe giving a mutex held by another task: taken_by_other=%d", taken_by_other);
    int given = xSemaphoreGive(s_mutex);
    ESP_LOGI(TAG, "probe NOT-ABORTED: give=%d", given);
    vTaskDelete(NULL);
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(uart_driver_install(UART_NUM_1, 256, 0, 0, NULL, 0));
    xTaskCreate(probe_task, "probe", 8192, NULL, 5, NULL);
}
