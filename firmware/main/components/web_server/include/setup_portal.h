/*
 * The setup soft-AP (CONFIG_WIFI_MANAGER_SETUP_SSID, 192.168.4.1/24 as ESP-IDF's default AP
 * netif has it) and its page on port 80: GET / a form, POST / (ssid, password) stores them
 * in NVS, answers, and restarts the chip.
 */
#ifndef SETUP_PORTAL_H
#define SETUP_PORTAL_H

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Stops the station, starts the soft-AP (esp_wifi_init done) and the setup page. */
esp_err_t setup_portal_start(void);

#ifdef __cplusplus
}
#endif

#endif /* SETUP_PORTAL_H */
