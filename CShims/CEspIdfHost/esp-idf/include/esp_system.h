/*
 * esp_system.h on the host: ESP-IDF v5.4's system API
 * (components/esp_system/include/esp_system.h, esp_system.c, port/esp_system_linux.c).
 * Like ESP-IDF's it brings esp_err.h, esp_attr.h, esp_bit_defs.h (BIT0…) and
 * esp_idf_version.h.
 *
 * esp_restart() runs the shutdown handlers as ESP-IDF does and resets the "chip":
 * the device process starts again (app_main in a fresh firmware image, NVS and
 * the UART's TCP peer kept, "rst:0xc (SW_CPU_RESET)" logged), after which
 * esp_reset_reason() is ESP_RST_SW.  With `--max-restarts N` used up it ends the
 * device with exit status 3 (ESP_IDF_HOST_RESTART_EXIT_STATUS) instead.
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

/** The device process's exit status when esp_restart() may not restart it (--max-restarts used up). */
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

/** Runs the shutdown handlers and restarts the firmware from app_main (see above). */
void esp_restart(void) __attribute__((__noreturn__));

/** ESP_RST_SW after esp_restart(), ESP_RST_POWERON when the device process was started. */
esp_reset_reason_t esp_reset_reason(void);

/** The firmware's bounded heap (src/system/heap.c): heap_caps_get_free_size(MALLOC_CAP_DEFAULT) and friends. */
uint32_t esp_get_free_heap_size(void);
uint32_t esp_get_free_internal_heap_size(void);
uint32_t esp_get_minimum_free_heap_size(void);

/** Logs details and aborts like a panic (non-zero exit). */
void __attribute__((__noreturn__)) esp_system_abort(const char *details);

#ifdef __cplusplus
}
#endif

#endif
