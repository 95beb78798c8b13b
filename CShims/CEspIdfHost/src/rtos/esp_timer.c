/*
 * esp_timer objects as ESP-IDF v5.4 has them (components/esp_timer/src/
 * esp_timer.c): a list of armed timers sorted by alarm (equal alarms keep their
 * arming order), served by one "esp_timer" task that runs every due callback in
 * turn (timer_process_alarm).  The hardware alarm is the task's timed wait on
 * CLOCK_MONOTONIC; the list is guarded by host_kernel_lock.
 */
#include "rtos_internal.h"

#include <inttypes.h>
#include <stdlib.h>

#include "esp_log.h"
#include "esp_timer.h"
#include "freertos/task.h"

/* esp_timer_impl_get_min_period_us on the ESP32 */
#define MIN_PERIOD_US 50u
/* ESP_TASK_TIMER_PRIO and CONFIG_ESP_TIMER_TASK_STACK_SIZE */
#define TIMER_TASK_PRIORITY 22
#define TIMER_TASK_STACK 3584

struct esp_timer {
    esp_timer_cb_t callback;
    void *arg;
    const char *name;
    bool skip_unhandled_events;
    bool armed;           /* timer_armed(): alarm > 0 in ESP-IDF */
    uint64_t alarm;       /* esp_timer_get_time() of the next callback */
    uint64_t period;      /* 0 for a one-shot */
    struct esp_timer *next;
};

static pthread_mutex_t s_start_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static pthread_cond_t s_changed;
static TaskHandle_t s_task;
static struct esp_timer *s_timers;  /* armed, by alarm */

static void init_cond(void)
{
    host_cond_init(&s_changed);
}

/* timer_insert: before the first timer with a later alarm */
static void insert(struct esp_timer *timer)
{
    struct esp_timer **at = &s_timers;
    while (*at != NULL && (*at)->alarm <= timer->alarm) {
        at = &(*at)->next;
    }
    timer->next = *at;
    *at = timer;
    timer->armed = true;
    pthread_cond_broadcast(&s_changed);
}

/* timer_remove */
static void remove_armed(struct esp_timer *timer)
{
    for (struct esp_timer **at = &s_timers; *at != NULL; at = &(*at)->next) {
        if (*at == timer) {
            *at = timer->next;
            break;
        }
    }
    timer->armed = false;
    timer->alarm = 0;
    timer->period = 0;
    pthread_cond_broadcast(&s_changed);
}

/* timer_task + timer_process_alarm: run every timer whose alarm has come, one at a time */
static void timer_task(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&host_kernel_lock);
    for (;;) {
        struct esp_timer *due = s_timers;
        uint64_t now = host_now_us();
        if (due == NULL || due->alarm > now) {
            host_timeout_t timeout = { .forever = true };
            if (due != NULL) {
                timeout = host_timeout_at_us(due->alarm);
            }
            if (host_kernel_wait(&s_changed, &timeout) == HOST_WAIT_ENDED) {
                pthread_mutex_unlock(&host_kernel_lock);
                host_kernel_wait_ended();
                pthread_mutex_lock(&host_kernel_lock);
            }
            continue;
        }
        s_timers = due->next;
        if (due->period > 0) {
            /* a periodic timer is re-armed before its callback runs */
            uint64_t skipped = (now - due->alarm) / due->period;
            if (due->skip_unhandled_events && skipped > 1) {
                due->alarm = now + due->period;
            } else {
                due->alarm += due->period;
            }
            insert(due);
        } else {
            due->armed = false;
            due->alarm = 0;
        }
        esp_timer_cb_t callback = due->callback;
        void *callback_arg = due->arg;
        pthread_mutex_unlock(&host_kernel_lock);
        callback(callback_arg);
        pthread_mutex_lock(&host_kernel_lock);
    }
}

static bool start_task(void)
{
    pthread_once(&s_once, init_cond);
    pthread_mutex_lock(&s_start_lock);
    if (s_task == NULL) {
        if (xTaskCreatePinnedToCore(timer_task, "esp_timer", TIMER_TASK_STACK, NULL, TIMER_TASK_PRIORITY, &s_task,
                                    0) != pdPASS) {
            s_task = NULL;
        }
    }
    bool started = s_task != NULL;
    pthread_mutex_unlock(&s_start_lock);
    return started;
}

esp_err_t esp_timer_early_init(void)
{
    return ESP_OK;
}

/* esp_timer_init (init_timer_task): the start-up code already ran it, so a call from firmware logs
 * "Task is already initialized" and returns ESP_ERR_INVALID_STATE */
esp_err_t esp_timer_init(void)
{
    host_log_line(ESP_LOG_ERROR, "esp_timer", "Task is already initialized");
    return ESP_ERR_INVALID_STATE;
}

esp_err_t esp_timer_create(const esp_timer_create_args_t *create_args, esp_timer_handle_t *out_handle)
{
    if (create_args == NULL || create_args->callback == NULL || out_handle == NULL ||
        (int)create_args->dispatch_method < 0 || create_args->dispatch_method >= ESP_TIMER_MAX) {
        return ESP_ERR_INVALID_ARG;
    }
    if (!start_task()) {
        return ESP_ERR_NO_MEM;
    }
    struct esp_timer *timer = calloc(1, sizeof *timer);
    if (timer == NULL) {
        return ESP_ERR_NO_MEM;
    }
    timer->callback = create_args->callback;
    timer->arg = create_args->arg;
    timer->name = create_args->name;
    timer->skip_unhandled_events = create_args->skip_unhandled_events;
    *out_handle = timer;
    return ESP_OK;
}

esp_err_t esp_timer_start_once(esp_timer_handle_t timer, uint64_t timeout_us)
{
    if (timer == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    uint64_t alarm = host_now_us() + timeout_us;
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&host_kernel_lock);
    if (timer->armed) {
        err = ESP_ERR_INVALID_STATE;
    } else {
        timer->alarm = alarm;
        timer->period = 0;
        insert(timer);
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return err;
}

esp_err_t esp_timer_start_periodic(esp_timer_handle_t timer, uint64_t period)
{
    if (timer == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    period = period > MIN_PERIOD_US ? period : MIN_PERIOD_US;
    uint64_t alarm = host_now_us() + period;
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&host_kernel_lock);
    if (timer->armed) {
        err = ESP_ERR_INVALID_STATE;
    } else {
        timer->alarm = alarm;
        timer->period = period;
        insert(timer);
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return err;
}

/* esp_timer_restart: an armed timer only; a periodic one takes timeout_us as its new period */
esp_err_t esp_timer_restart(esp_timer_handle_t timer, uint64_t timeout_us)
{
    if (timer == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&host_kernel_lock);
    if (!timer->armed) {
        err = ESP_ERR_INVALID_STATE;
    } else {
        uint64_t now = host_now_us();
        uint64_t period = timer->period;
        remove_armed(timer);
        if (period != 0) {
            timer->period = timeout_us > MIN_PERIOD_US ? timeout_us : MIN_PERIOD_US;
            timer->alarm = now + timer->period;
        } else {
            timer->period = 0;
            timer->alarm = now + timeout_us;
        }
        insert(timer);
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return err;
}

esp_err_t esp_timer_stop(esp_timer_handle_t timer)
{
    if (timer == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&host_kernel_lock);
    if (!timer->armed) {
        err = ESP_ERR_INVALID_STATE;
    } else {
        remove_armed(timer);
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return err;
}

/* esp_timer_delete: an armed timer is ESP_ERR_INVALID_STATE (stop it first) */
esp_err_t esp_timer_delete(esp_timer_handle_t timer)
{
    if (timer == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&host_kernel_lock);
    if (timer->armed) {
        pthread_mutex_unlock(&host_kernel_lock);
        return ESP_ERR_INVALID_STATE;
    }
    free(timer);
    pthread_mutex_unlock(&host_kernel_lock);
    return ESP_OK;
}

bool esp_timer_is_active(esp_timer_handle_t timer)
{
    if (timer == NULL) {
        return false;
    }
    pthread_mutex_lock(&host_kernel_lock);
    bool armed = timer->armed;
    pthread_mutex_unlock(&host_kernel_lock);
    return armed;
}

int64_t esp_timer_get_next_alarm(void)
{
    pthread_mutex_lock(&host_kernel_lock);
    int64_t next = s_timers != NULL ? (int64_t)s_timers->alarm : INT64_MAX;
    pthread_mutex_unlock(&host_kernel_lock);
    return next;
}

int64_t esp_timer_get_next_alarm_for_wake_up(void)
{
    return esp_timer_get_next_alarm();
}

esp_err_t esp_timer_get_period(esp_timer_handle_t timer, uint64_t *period)
{
    if (timer == NULL || period == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&host_kernel_lock);
    *period = timer->period;
    pthread_mutex_unlock(&host_kernel_lock);
    return ESP_OK;
}

/* esp_timer_get_expiry_time: one-shot timers only */
esp_err_t esp_timer_get_expiry_time(esp_timer_handle_t timer, uint64_t *expiry)
{
    if (timer == NULL || expiry == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&host_kernel_lock);
    esp_err_t err = ESP_OK;
    if (timer->period > 0) {
        err = ESP_ERR_NOT_SUPPORTED;
    } else {
        *expiry = timer->alarm;
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return err;
}

esp_err_t esp_timer_dump(FILE *stream)
{
    if (stream == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&host_kernel_lock);
    fprintf(stream, "Timer stats:\nName                  Period      Alarm\n");
    for (struct esp_timer *timer = s_timers; timer != NULL; timer = timer->next) {
        fprintf(stream, "%-20s  %-10" PRIu64 "  %-12" PRIu64 "\n", timer->name != NULL ? timer->name : "NULL",
                timer->period, timer->alarm);
    }
    pthread_mutex_unlock(&host_kernel_lock);
    return ESP_OK;
}
