/*
 * Network bring-up for a board (CONFIG_TARGET_EMULATOR=n): a Wi-Fi station on the network
 * stored in NVS, reconnecting with a growing delay, and a setup soft-AP with a web form
 * when no network is stored or the station cannot join it.
 */
#ifndef WIFI_MANAGER_H
#define WIFI_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    WIFI_MANAGER_CONNECTING,   /* an attempt is under way */
    WIFI_MANAGER_WAITING,      /* between attempts (back-off) */
    WIFI_MANAGER_CONNECTED,    /* associated, with an address */
    WIFI_MANAGER_SETUP_AP,     /* serving the setup page on the soft-AP */
} wifi_manager_state_t;

typedef struct {
    wifi_manager_state_t state;
    char ssid[33];             /* the stored network ("" when none) */
    int8_t rssi;               /* of the AP, while connected */
    uint32_t attempts;         /* esp_wifi_connect calls since boot */
    uint32_t failures;         /* failed attempts or lost connections in a row */
    uint32_t connects;         /* IP_EVENT_STA_GOT_IP since boot */
    uint8_t last_reason;       /* of the last WIFI_EVENT_STA_DISCONNECTED; 0: none */
    uint32_t next_retry_ms;    /* the back-off being waited, while WAITING */
} wifi_manager_status_t;

/**
 * esp_netif_init(), the default event loop, the station and esp_wifi; then either joins the
 * stored network (the status web server starts with the first address) or starts the setup AP.
 * Call once, after nvs_flash_init().
 */
esp_err_t wifi_manager_start(void);

/** A snapshot for the status page. */
void wifi_manager_get_status(wifi_manager_status_t *out);

/** "connecting", "waiting", "connected", "setup-ap". */
const char *wifi_manager_state_name(wifi_manager_state_t state);

#ifdef __cplusplus
}
#endif

#endif /* WIFI_MANAGER_H */
