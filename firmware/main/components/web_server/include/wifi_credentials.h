/*
 * The station's network, kept in NVS (namespace "wifi_mgr", string keys "ssid" and "pass"):
 * written by the setup page, read at boot.
 */
#ifndef WIFI_CREDENTIALS_H
#define WIFI_CREDENTIALS_H

#include <stdbool.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char ssid[33];      /* 1 to 32 bytes (IEEE 802.11 SSID) */
    char password[65];  /* empty: an open network; else 8 to 63 characters (WPA2 passphrase) */
} wifi_credentials_t;

/** Reads the stored network; false when none is stored (or it cannot be read: logged). */
bool wifi_credentials_load(wifi_credentials_t *out);

/** Stores the network; nvs_flash_init() must have run. */
esp_err_t wifi_credentials_save(const wifi_credentials_t *credentials);

/** NULL when the pair is acceptable, else why not (one line for the user). */
const char *wifi_credentials_problem(const char *ssid, const char *password);

#ifdef __cplusplus
}
#endif

#endif /* WIFI_CREDENTIALS_H */
