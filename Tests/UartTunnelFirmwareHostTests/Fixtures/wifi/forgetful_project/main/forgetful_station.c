/*
 * A station with a planted reconnect bug: it calls esp_wifi_connect again after any
 * STA_DISCONNECTED except reason 200 (BEACON_TIMEOUT), which it takes for "the user turned
 * Wi-Fi off".  Connecting, wrong passwords and a missing AP all behave; an AP that leaves and
 * comes back is never joined again.
 */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "nvs_flash.h"
#include "sdkconfig.h"

static const char *TAG = "forgetful";

static void on_wifi(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    if (id == WIFI_EVENT_STA_START) {
        esp_wifi_connect();
    } else if (id == WIFI_EVENT_STA_DISCONNECTED) {
        const wifi_event_sta_disconnected_t *event = data;
        if (event->reason == WIFI_REASON_BEACON_TIMEOUT) {
            ESP_LOGW(TAG, "AP gone: staying offline");  /* the planted bug */
            return;
        }
        esp_wifi_connect();
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    esp_netif_create_default_wifi_sta();
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_wifi, NULL, NULL));
    wifi_config_t config = { 0 };
    strncpy((char *)config.sta.ssid, CONFIG_ESP_WIFI_SSID, sizeof config.sta.ssid);
    strncpy((char *)config.sta.password, CONFIG_ESP_WIFI_PASSWORD, sizeof config.sta.password);
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &config));
    ESP_ERROR_CHECK(esp_wifi_start());
}
