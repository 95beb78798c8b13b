/* The system layer (esp_err, esp_event, nvs, esp_mac, esp_system): what the layers above may call. */
#ifndef HOST_SYSTEM_H
#define HOST_SYSTEM_H

#include "rtos/rtos.h"

/* nvs_flash.c: where the "nvs" partition lives: an inherited descriptor (fd >= 0, rewritten in place) or a file
 * at path (replaced atomically); neither: memory only.  Set before the firmware runs. */
void host_nvs_set_backing(int fd, const char *path);

/* system.c: esp_restart calls the hook (the toolkit's chip reset; it does not return when it succeeds), and
 * esp_reset_reason answers what the toolkit set (an esp_reset_reason_t). */
void host_system_set_restart_hook(void (*hook)(void));
void host_system_set_reset_reason(int reason);

#endif
