/*
 * esp_timer.h on the host: the clock (esp_timer_get_time) and timer objects as
 * in ESP-IDF v5.4 (components/esp_timer): the same return codes
 * (ESP_ERR_INVALID_STATE for starting an armed timer, stopping or restarting a
 * disarmed one, deleting an armed one), periods of at least 50 us, and every
 * callback run on one "esp_timer" task, one after another in alarm order; a
 * periodic timer that fell behind runs its missed callbacks back to back unless
 * skip_unhandled_events is set.  What differs from the chip: no hardware alarm
 * (the task waits on CLOCK_MONOTONIC, so callbacks can be late by the host's
 * scheduling), and, as with the default sdkconfig,
 * CONFIG_ESP_TIMER_SUPPORTS_ISR_DISPATCH_METHOD is off: ESP_TIMER_ISR does not
 * exist.  esp_timer_dump prints names, periods and alarms only (no profiling).
 */
#ifndef ESP_IDF_HOST_ESP_TIMER_H
#define ESP_IDF_HOST_ESP_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct esp_timer *esp_timer_handle_t;
typedef void (*esp_timer_cb_t)(void *arg);

typedef enum {
    ESP_TIMER_TASK,  /*!< Callback is dispatched from the esp_timer task */
    ESP_TIMER_MAX,   /*!< Sentinel: the number of dispatch methods */
} esp_timer_dispatch_t;

typedef struct {
    esp_timer_cb_t callback;
    void *arg;
    esp_timer_dispatch_t dispatch_method;
    const char *name;
    bool skip_unhandled_events;
} esp_timer_create_args_t;

/* already done at start-up on ESP-IDF and here: ESP_OK; esp_timer_init again is ESP_ERR_INVALID_STATE */
esp_err_t esp_timer_early_init(void);
esp_err_t esp_timer_init(void);

esp_err_t esp_timer_create(const esp_timer_create_args_t *create_args, esp_timer_handle_t *out_handle);
esp_err_t esp_timer_start_once(esp_timer_handle_t timer, uint64_t timeout_us);
esp_err_t esp_timer_start_periodic(esp_timer_handle_t timer, uint64_t period);
esp_err_t esp_timer_restart(esp_timer_handle_t timer, uint64_t timeout_us);
esp_err_t esp_timer_stop(esp_timer_handle_t timer);
esp_err_t esp_timer_delete(esp_timer_handle_t timer);

/** Microseconds since the device started (CLOCK_MONOTONIC). */
int64_t esp_timer_get_time(void);
int64_t esp_timer_get_next_alarm(void);
int64_t esp_timer_get_next_alarm_for_wake_up(void);
esp_err_t esp_timer_get_period(esp_timer_handle_t timer, uint64_t *period);
esp_err_t esp_timer_get_expiry_time(esp_timer_handle_t timer, uint64_t *expiry);
esp_err_t esp_timer_dump(FILE *stream);
bool esp_timer_is_active(esp_timer_handle_t timer);

#ifdef __cplusplus
}
#endif

#endif
