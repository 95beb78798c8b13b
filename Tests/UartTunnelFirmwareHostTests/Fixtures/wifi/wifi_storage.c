/*
 * esp_wifi's stored configuration across esp_restart, one step per boot (the boot number is
 * the fixture's own NVS key):
 *   1: nothing stored; set mode STA and a station config (default WIFI_STORAGE_FLASH); restart
 *   2: both come back; WIFI_STORAGE_RAM, another config (read back at once); restart
 *   3: the FLASH one came back, not the RAM one; esp_wifi_restore; restart
 *   4: nothing stored again; with NVS de-initialised esp_wifi_init fails unless nvs_enable is 0
 * Each boot logs one "BOOT n …" line.
 */
#include <stdio.h>
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_system.h"
#include "esp_wifi.h"
#include "nvs_flash.h"

static const char *TAG = "wifi_storage";

/* The station config's SSID, or "(none)", copied into out. */
static const char *sta_ssid(char out[33])
{
    wifi_config_t config = { 0 };
    const esp_err_t err = esp_wifi_get_config(WIFI_IF_STA, &config);
    snprintf(out, 33, "%.32s", err != ESP_OK ? "?" : config.sta.ssid[0] != 0 ? (const char *)config.sta.ssid : "(none)");
    return out;
}

static void set_sta(const char *ssid)
{
    wifi_config_t config = { 0 };
    strncpy((char *)config.sta.ssid, ssid, sizeof config.sta.ssid);
    strncpy((char *)config.sta.password, "stored-pass-1", sizeof config.sta.password);
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &config));
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    nvs_handle_t boots;
    ESP_ERROR_CHECK(nvs_open("fixture", NVS_READWRITE, &boots));
    uint8_t boot = 0;
    nvs_get_u8(boots, "boot", &boot);
    boot++;
    ESP_ERROR_CHECK(nvs_set_u8(boots, "boot", boot));
    ESP_ERROR_CHECK(nvs_commit(boots));
    nvs_close(boots);

    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    wifi_mode_t mode = WIFI_MODE_NULL;
    ESP_ERROR_CHECK(esp_wifi_get_mode(&mode));
    char stored[33], now[33];
    sta_ssid(stored);
    if (boot == 1) {
        ESP_LOGI(TAG, "BOOT 1 mode=%d sta=%s", (int)mode, stored);
        ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
        set_sta("flash-ap");
    } else if (boot == 2) {
        ESP_ERROR_CHECK(esp_wifi_set_storage(WIFI_STORAGE_RAM));
        set_sta("ram-ap");
        ESP_LOGI(TAG, "BOOT 2 mode=%d sta=%s then=%s", (int)mode, stored, sta_ssid(now));
    } else if (boot == 3) {
        ESP_LOGI(TAG, "BOOT 3 mode=%d sta=%s restore=%s", (int)mode, stored, esp_err_to_name(esp_wifi_restore()));
    } else {
        ESP_ERROR_CHECK(esp_wifi_deinit());
        ESP_ERROR_CHECK(nvs_flash_deinit());
        const esp_err_t with_nvs = esp_wifi_init(&init);
        init.nvs_enable = 0;
        const esp_err_t without_nvs = esp_wifi_init(&init);
        ESP_LOGI(TAG, "BOOT 4 sta=%s init_without_nvs_flash=%s init_nvs_disabled=%s", stored,
                 esp_err_to_name(with_nvs), esp_err_to_name(without_nvs));
        return;
    }
    esp_restart();
}
