/*
 * The station's network in NVS.  Our own namespace and keys rather than esp_wifi's
 * WIFI_STORAGE_FLASH, so the one write of credentials is the setup page's, explicit and
 * readable (`uart-tunnel device --nvs FILE`: str "wifi_mgr" "ssid" "…").
 */
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER

#include "wifi_credentials.h"

#include <string.h>

#include "esp_log.h"
#include "nvs.h"

#define NAMESPACE "wifi_mgr"
#define KEY_SSID "ssid"
#define KEY_PASSWORD "pass"

static const char *TAG = "wifi_credentials";

const char *wifi_credentials_problem(const char *ssid, const char *password)
{
    const size_t ssid_len = strlen(ssid), password_len = strlen(password);
    if (ssid_len == 0 || ssid_len > 32) {
        return "ssid must be 1 to 32 bytes";
    }
    if (password_len != 0 && (password_len < 8 || password_len > 63)) {
        return "password must be empty (open network) or 8 to 63 characters";
    }
    return NULL;
}

bool wifi_credentials_load(wifi_credentials_t *out)
{
    memset(out, 0, sizeof *out);
    nvs_handle_t nvs;
    esp_err_t err = nvs_open(NAMESPACE, NVS_READONLY, &nvs);
    if (err == ESP_ERR_NVS_NOT_FOUND) {
        return false;  /* nothing was ever stored */
    }
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "nvs_open(%s): %s", NAMESPACE, esp_err_to_name(err));
        return false;
    }
    size_t ssid_size = sizeof out->ssid, password_size = sizeof out->password;
    err = nvs_get_str(nvs, KEY_SSID, out->ssid, &ssid_size);
    if (err == ESP_OK) {
        err = nvs_get_str(nvs, KEY_PASSWORD, out->password, &password_size);
    }
    nvs_close(nvs);
    if (err != ESP_OK) {
        if (err != ESP_ERR_NVS_NOT_FOUND) {
            ESP_LOGE(TAG, "reading %s: %s", NAMESPACE, esp_err_to_name(err));
        }
        memset(out, 0, sizeof *out);
        return false;
    }
    const char *problem = wifi_credentials_problem(out->ssid, out->password);
    if (problem != NULL) {
        ESP_LOGE(TAG, "stored credentials ignored: %s", problem);
        memset(out, 0, sizeof *out);
        return false;
    }
    return true;
}

esp_err_t wifi_credentials_save(const wifi_credentials_t *credentials)
{
    nvs_handle_t nvs;
    esp_err_t err = nvs_open(NAMESPACE, NVS_READWRITE, &nvs);
    if (err != ESP_OK) {
        return err;
    }
    err = nvs_set_str(nvs, KEY_SSID, credentials->ssid);
    if (err == ESP_OK) {
        err = nvs_set_str(nvs, KEY_PASSWORD, credentials->password);
    }
    if (err == ESP_OK) {
        err = nvs_commit(nvs);
    }
    nvs_close(nvs);
    return err;
}

#endif /* CONFIG_WIFI_MANAGER */
