/*
 * esp_system.h on the host: ESP-IDF v5.4's system API
 * (components/esp_system/include/esp_system.h, esp_system.c, port/esp_system_linux.c).
 * Like ESP-IDF's it brings esp_err.h, esp_attr.h, esp_bit_defs.h (BIT0…) and
 * esp_idf_version.h.
 *
 * esp_restart() does not restart the firmware here: it runs the shutdown handlers
 * as ESP-IDF does, logs "Restarting now." and ends the device process with exit
 * status 3 (ESP_IDF_HOST_RESTART_EXIT_STATUS).  A chip-like restart (app_main run
 * again in a fresh firmware image) comes with the whole-project issue.
 */
#ifndef ESP_IDF_HOST_ESP_SYSTEM_H
#define ESP_IDF_HOST_ESP_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>
#include "esp_attr.h"
#include "esp_bit_defs.h"
#include "esp_err.h"
#include "esp_idf_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The device process's exit status after esp_restart(). */
#define ESP_IDF_HOST_RESTART_EXIT_STATUS 3

typedef enum {
    ESP_RST_UNKNOWN,
    ESP_RST_POWERON,
    ESP_RST_EXT,
    ESP_RST_SW,
    ESP_RST_PANIC,
    ESP_RST_INT_WDT,
    ESP_RST_TASK_WDT,
    ESP_RST_WDT,
    ESP_RST_DEEPSLEEP,
    ESP_RST_BROWNOUT,
    ESP_RST_SDIO,
    ESP_RST_USB,
    ESP_RST_JTAG,
    ESP_RST_EFUSE,
    ESP_RST_PWR_GLITCH,
    ESP_RST_CPU_LOCKUP,
} esp_reset_reason_t;

typedef void (*shutdown_handler_t)(void);

/** Up to 5 handlers esp_restart runs, last registered first; ESP_ERR_INVALID_STATE if already registered,
 *  ESP_ERR_NO_MEM when full. */
esp_err_t esp_register_shutdown_handler(shutdown_handler_t handle);
/** ESP_ERR_INVALID_STATE if it was not registered. */
esp_err_t esp_unregister_shutdown_handler(shutdown_handler_t handle);

/** Runs the shutdown handlers, logs "Restarting now." and ends the device (exit status 3). */
void esp_restart(void) __attribute__((__noreturn__));

/** ESP_RST_POWERON: every device run is a cold start. */
esp_reset_reason_t esp_reset_reason(void);

/** The host has no ESP32 heap: UINT32_MAX, as ESP-IDF v5.4's own Linux target reports. */
uint32_t esp_get_free_heap_size(void);
uint32_t esp_get_free_internal_heap_size(void);
uint32_t esp_get_minimum_free_heap_size(void);

/** Logs details and aborts like a panic (non-zero exit). */
void __attribute__((__noreturn__)) esp_system_abort(const char *details);

#ifdef __cplusplus
}
#endif

#endif
