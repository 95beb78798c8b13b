/*
 * esp_system.h on the host, as ESP-IDF v5.4's components/esp_system/esp_system.c
 * (shutdown handlers, esp_restart) and port/esp_system_linux.c (heap figures,
 * esp_get_idf_version, esp_system_abort).
 *
 * esp_restart ends the device process instead of rebooting: the host cannot yet
 * reload the firmware image and run app_main again (that comes with the
 * whole-project issue), and carrying on would hide that the firmware restarted.
 */
#include "system/system.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "esp_log.h"
#include "esp_system.h"

#define SHUTDOWN_HANDLERS 5     /* esp_system.c's SHUTDOWN_HANDLERS_NO */

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static shutdown_handler_t s_handlers[SHUTDOWN_HANDLERS];

esp_err_t esp_register_shutdown_handler(shutdown_handler_t handler)
{
    esp_err_t err = ESP_ERR_NO_MEM;
    pthread_mutex_lock(&s_lock);
    for (int i = 0; i < SHUTDOWN_HANDLERS; i++) {
        if (s_handlers[i] == handler) {
            err = ESP_ERR_INVALID_STATE;
            break;
        }
        if (s_handlers[i] == NULL) {
            s_handlers[i] = handler;
            err = ESP_OK;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_unregister_shutdown_handler(shutdown_handler_t handler)
{
    esp_err_t err = ESP_ERR_INVALID_STATE;
    pthread_mutex_lock(&s_lock);
    for (int i = 0; i < SHUTDOWN_HANDLERS; i++) {
        if (s_handlers[i] == handler) {
            s_handlers[i] = NULL;
            err = ESP_OK;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* esp_restart: the handlers from the last slot down, then the reset.  The ESP32 then reboots with
 * "rst:0xc (SW_CPU_RESET)"; the host says so and exits with its own status, never 0, so a test or script sees
 * that the firmware restarted rather than that it finished. */
void esp_restart(void)
{
    shutdown_handler_t handlers[SHUTDOWN_HANDLERS];
    pthread_mutex_lock(&s_lock);
    for (int i = 0; i < SHUTDOWN_HANDLERS; i++) {
        handlers[i] = s_handlers[i];
    }
    pthread_mutex_unlock(&s_lock);
    for (int i = SHUTDOWN_HANDLERS - 1; i >= 0; i--) {
        if (handlers[i] != NULL) {
            handlers[i]();
        }
    }
    fflush(NULL);   /* the firmware's printf output reaches the log before the process ends, as on the UART */
    host_log_line(ESP_LOG_WARN, HOST_TAG,
                          "esp_restart(): Restarting now. An ESP32 would reset (rst:0xc SW_CPU_RESET) and run "
                          "app_main again; the host layer ends the device instead (exit status %d)",
                          ESP_IDF_HOST_RESTART_EXIT_STATUS);
    _exit(ESP_IDF_HOST_RESTART_EXIT_STATUS);
}

esp_reset_reason_t esp_reset_reason(void)
{
    return ESP_RST_POWERON;
}

/* The firmware's allocations come from the host's malloc, not a bounded ESP32 heap: ESP-IDF's Linux target
 * (port/esp_system_linux.c over heap_caps) reports UINT32_MAX, and so does this. */
uint32_t esp_get_free_heap_size(void)
{
    return UINT32_MAX;
}

uint32_t esp_get_free_internal_heap_size(void)
{
    return UINT32_MAX;
}

uint32_t esp_get_minimum_free_heap_size(void)
{
    return UINT32_MAX;
}

const char *esp_get_idf_version(void)
{
    return "v5.4-uart-tunnel-host";
}

/* On the chip, panic_abort(details): the details, then the panic handler's reboot. */
void esp_system_abort(const char *details)
{
    host_log_line(ESP_LOG_ERROR, HOST_TAG, "esp_system_abort(\"%s\")", details != NULL ? details : "");
    host_firmware_abort("aborted");
}
