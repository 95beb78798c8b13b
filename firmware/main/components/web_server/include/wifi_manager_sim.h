/*
 * Network bring-up for the QEMU build: no Wi-Fi, the UART tunnel instead.
 * The name follows the Wi-Fi manager it stands in for.
 */
#ifndef WIFI_MANAGER_SIM_H
#define WIFI_MANAGER_SIM_H

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * esp_netif_init(), the default event loop, the UART tunnel at
 * 192.168.100.2/24 (gateway 192.168.100.1), then the web server.
 * Call once, after nvs_flash_init().
 */
esp_err_t wifi_manager_sim_init(void);

#ifdef __cplusplus
}
#endif

#endif /* WIFI_MANAGER_SIM_H */
