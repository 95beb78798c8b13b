/*
 * esp_wifi's configuration in flash (WIFI_STORAGE_FLASH, v5.4's default: esp_wifi.h on
 * esp_wifi_set_storage and esp_wifi_set_config, "The configuration will be stored in NVS";
 * docs/en/api-guides/wifi.rst, "Wi-Fi NVS Flash": the driver starts with what was stored
 * the next time it powers on or reboots).
 *
 * ESP-IDF keeps it in the closed libnet80211.  The namespace here is the one NVS dumps of
 * ESP32s show, "nvs.net80211"; the keys and the blobs (this host's structs) are ours.  All
 * I/O goes through the NVS layer's own API, so `--nvs FILE` holds it beside the firmware's
 * keys and esp_restart keeps it.  Called without the Wi-Fi config lock (NVS has its own).
 */
#include "wifi/wifi.h"

#include <string.h>

#include "nvs.h"

#define WIFI_NVS_NAMESPACE "nvs.net80211"
#define KEY_MODE "opmode"
#define KEY_STA "sta.config"
#define KEY_AP "ap.config"

static void read_blob(nvs_handle_t handle, const char *key, void *out, size_t size, bool *found)
{
    size_t length = size;
    *found = nvs_get_blob(handle, key, out, &length) == ESP_OK && length == size;
}

esp_err_t host_wifi_storage_load(host_wifi_stored_t *out)
{
    memset(out, 0, sizeof *out);
    nvs_handle_t handle;
    esp_err_t err = nvs_open(WIFI_NVS_NAMESPACE, NVS_READONLY, &handle);
    if (err == ESP_ERR_NVS_NOT_FOUND) {
        return ESP_OK;  /* nothing stored yet: an erased chip */
    }
    if (err != ESP_OK) {
        return err;     /* ESP_ERR_NVS_NOT_INITIALIZED: nvs_flash_init has not run */
    }
    uint8_t mode = 0;
    if (nvs_get_u8(handle, KEY_MODE, &mode) == ESP_OK && mode <= WIFI_MODE_APSTA) {
        out->has_mode = true;
        out->mode = (wifi_mode_t)mode;
    }
    read_blob(handle, KEY_STA, &out->sta, sizeof out->sta, &out->has_sta);
    read_blob(handle, KEY_AP, &out->ap, sizeof out->ap, &out->has_ap);
    nvs_close(handle);
    return ESP_OK;
}

static esp_err_t write_item(const char *key, const void *data, size_t size, bool is_u8)
{
    nvs_handle_t handle;
    esp_err_t err = nvs_open(WIFI_NVS_NAMESPACE, NVS_READWRITE, &handle);
    if (err != ESP_OK) {
        return err;
    }
    err = is_u8 ? nvs_set_u8(handle, key, *(const uint8_t *)data) : nvs_set_blob(handle, key, data, size);
    if (err == ESP_OK) {
        err = nvs_commit(handle);
    }
    nvs_close(handle);
    return err;
}

esp_err_t host_wifi_storage_save_mode(wifi_mode_t mode)
{
    const uint8_t value = (uint8_t)mode;
    return write_item(KEY_MODE, &value, 1, true);
}

esp_err_t host_wifi_storage_save_config(wifi_interface_t ifx, const wifi_config_t *conf)
{
    return ifx == WIFI_IF_STA ? write_item(KEY_STA, &conf->sta, sizeof conf->sta, false)
                              : write_item(KEY_AP, &conf->ap, sizeof conf->ap, false);
}

esp_err_t host_wifi_storage_erase(void)
{
    nvs_handle_t handle;
    esp_err_t err = nvs_open(WIFI_NVS_NAMESPACE, NVS_READWRITE, &handle);
    if (err != ESP_OK) {
        return err;
    }
    err = nvs_erase_all(handle);
    if (err == ESP_OK) {
        err = nvs_commit(handle);
    }
    nvs_close(handle);
    return err;
}
