/*
 * esp_system.h on the host, as ESP-IDF v5.4's components/esp_system/esp_system.c
 * (shutdown handlers, esp_restart) and port/esp_system_linux.c (heap figures,
 * esp_get_idf_version, esp_system_abort).
 *
 * esp_restart resets the "chip": the toolkit registers a hook that replaces the
 * device process with a fresh one (every static and task gone, app_main again,
 * NVS and the UART's TCP connection kept); without one, or once --max-restarts
 * is used up, the device ends with exit status 3 instead.
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

static void (*s_restart_hook)(void);
static esp_reset_reason_t s_reset_reason = ESP_RST_POWERON;

void host_system_set_restart_hook(void (*hook)(void))
{
    s_restart_hook = hook;
}

void host_system_set_reset_reason(int reason)
{
    s_reset_reason = (esp_reset_reason_t)reason;
}

/* esp_restart (esp_system.c): the handlers from the last slot down, then esp_restart_noos resets both CPUs
 * (SW_CPU_RESET).  Here the toolkit's hook starts the device again and does not return; the firmware's printf
 * output is flushed first, as a chip's UART drains before the reset. */
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
    fflush(NULL);
    if (s_restart_hook != NULL) {
        s_restart_hook();   /* execs a fresh device that loads the same object again; returns only if it did not */
    }
    host_remove_firmware_file();  /* _exit skips the exit handler that would remove it */
    host_log_line(ESP_LOG_WARN, HOST_TAG,
                  "esp_restart(): Restarting now. An ESP32 would reset (rst:0xc SW_CPU_RESET) and run "
                  "app_main again; the host layer ends the device instead (exit status %d)",
                  ESP_IDF_HOST_RESTART_EXIT_STATUS);
    _exit(ESP_IDF_HOST_RESTART_EXIT_STATUS);
}

/* esp_reset_reason (port/soc/esp32/reset_reason.c): ESP_RST_SW after a software reset of the cores,
 * ESP_RST_POWERON for a device process started afresh. */
esp_reset_reason_t esp_reset_reason(void)
{
    return s_reset_reason;
}

/* esp_get_free_heap_size and the other heap figures: heap.c (the firmware's bounded heap). */

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
