/*
 * A clean-room Wi-Fi station manager in the style of ESP-IDF's station examples: default
 * netif, default event loop, one handler for WIFI_EVENT and IP_EVENT, reconnect on
 * disconnect with a growing back-off from its own task (never from the event task), and
 * a bounded number of attempts before the first connection.  Every event is logged with
 * its payload on one "EVENT …" line, so the tests can read order and contents.
 */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "freertos/task.h"
#include "nvs_flash.h"

#define LAB_SSID "lab-ap"
#define LAB_PASSWORD "lab-pass-1"
#define FIRST_CONNECT_ATTEMPTS 10

#define BIT_RETRY BIT0

static const char *TAG = "wifi_manager";
static EventGroupHandle_t s_bits;
static int s_failures;
static bool s_ever_connected;

static void on_wifi(int32_t id, void *data)
{
    switch (id) {
    case WIFI_EVENT_STA_START:
        ESP_LOGI(TAG, "EVENT STA_START");
        esp_wifi_connect();
        break;
    case WIFI_EVENT_STA_CONNECTED: {
        const wifi_event_sta_connected_t *e = data;
        ESP_LOGI(TAG, "EVENT STA_CONNECTED ssid=%.*s channel=%u authmode=%d aid=%u bssid=" MACSTR, e->ssid_len,
                 (const char *)e->ssid, e->channel, (int)e->authmode, e->aid, MAC2STR(e->bssid));
        break;
    }
    case WIFI_EVENT_STA_DISCONNECTED: {
        const wifi_event_sta_disconnected_t *e = data;
        ESP_LOGI(TAG, "EVENT STA_DISCONNECTED reason=%u ssid=%.*s", e->reason, e->ssid_len, (const char *)e->ssid);
        s_failures++;
        if (s_ever_connected || s_failures < FIRST_CONNECT_ATTEMPTS) {
            xEventGroupSetBits(s_bits, BIT_RETRY);
        } else {
            ESP_LOGW(TAG, "giving up after %d attempts", s_failures);
        }
        break;
    }
    case WIFI_EVENT_STA_BEACON_TIMEOUT:
        ESP_LOGI(TAG, "EVENT STA_BEACON_TIMEOUT");
        break;
    default:
        ESP_LOGI(TAG, "EVENT WIFI %d", (int)id);
        break;
    }
}

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT) {
        on_wifi(id, data);
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *e = data;
        ESP_LOGI(TAG, "EVENT GOT_IP ip=" IPSTR " mask=" IPSTR " gw=" IPSTR " changed=%d", IP2STR(&e->ip_info.ip),
                 IP2STR(&e->ip_info.netmask), IP2STR(&e->ip_info.gw), e->ip_changed);
        s_failures = 0;
        s_ever_connected = true;
        wifi_ap_record_t ap;
        if (esp_wifi_sta_get_ap_info(&ap) == ESP_OK) {
            ESP_LOGI(TAG, "AP_INFO ssid=%s rssi=%d channel=%u", (const char *)ap.ssid, ap.rssi, ap.primary);
        }
    } else if (base == IP_EVENT && id == IP_EVENT_STA_LOST_IP) {
        ESP_LOGI(TAG, "EVENT LOST_IP");
    }
}

/* Reconnects outside the event task, waiting a little longer after each failure. */
static void retry_task(void *arg)
{
    (void)arg;
    for (;;) {
        xEventGroupWaitBits(s_bits, BIT_RETRY, pdTRUE, pdFALSE, portMAX_DELAY);
        const int backoff_ms = s_failures < 5 ? 50 * s_failures : 250;
        vTaskDelay(pdMS_TO_TICKS(backoff_ms));
        ESP_LOGI(TAG, "reconnecting (failure %d)", s_failures);
        esp_wifi_connect();
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    s_bits = xEventGroupCreate();
    esp_netif_create_default_wifi_sta();

    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(IP_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL));

    wifi_config_t config = { 0 };
    strncpy((char *)config.sta.ssid, LAB_SSID, sizeof config.sta.ssid);
    strncpy((char *)config.sta.password, LAB_PASSWORD, sizeof config.sta.password);
    config.sta.threshold.authmode = WIFI_AUTH_WPA2_PSK;
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &config));
    ESP_ERROR_CHECK(esp_wifi_start());
    xTaskCreate(retry_task, "wifi_retry", 4096, NULL, 5, NULL);

    uint8_t mac[6];
    ESP_ERROR_CHECK(esp_wifi_get_mac(WIFI_IF_STA, mac));
    ESP_LOGI(TAG, "station started, MAC " MACSTR, MAC2STR(mac));
}
