/*
 * Calls esp_wifi the way application code does, in right and wrong orders, and logs each
 * result as "CHECK <what>=<value>" (esp_err names, numbers) for the test to compare with
 * ESP-IDF v5.4's esp_wifi.h.  Events are logged as "EVENT <name> …" in the order posted.
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

static const char *TAG = "wifi_api";
static EventGroupHandle_t s_bits;
#define CONNECTED BIT0
#define DISCONNECTED BIT1
#define STOPPED BIT2

#define CHECK(what, call) ESP_LOGI(TAG, "CHECK %s=%s", what, esp_err_to_name(call))

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        ESP_LOGI(TAG, "EVENT GOT_IP");
        xEventGroupSetBits(s_bits, CONNECTED);
        return;
    }
    if (base != WIFI_EVENT) {
        return;
    }
    switch (id) {
    case WIFI_EVENT_STA_START: ESP_LOGI(TAG, "EVENT STA_START"); break;
    case WIFI_EVENT_STA_STOP: ESP_LOGI(TAG, "EVENT STA_STOP"); xEventGroupSetBits(s_bits, STOPPED); break;
    case WIFI_EVENT_STA_CONNECTED: ESP_LOGI(TAG, "EVENT STA_CONNECTED"); break;
    case WIFI_EVENT_SCAN_DONE: {
        const wifi_event_sta_scan_done_t *e = data;
        ESP_LOGI(TAG, "EVENT SCAN_DONE status=%u number=%u", (unsigned)e->status, e->number);
        break;
    }
    case WIFI_EVENT_STA_DISCONNECTED: {
        const wifi_event_sta_disconnected_t *e = data;
        ESP_LOGI(TAG, "EVENT STA_DISCONNECTED reason=%u", e->reason);
        xEventGroupSetBits(s_bits, DISCONNECTED);
        break;
    }
    default: ESP_LOGI(TAG, "EVENT WIFI %d", (int)id); break;
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    s_bits = xEventGroupCreate();
    ESP_ERROR_CHECK(esp_event_handler_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL));

    CHECK("mode_before_init", esp_wifi_set_mode(WIFI_MODE_STA));
    CHECK("connect_before_init", esp_wifi_connect());
    esp_netif_create_default_wifi_sta();
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    wifi_init_config_t bad = init;
    bad.magic = 0;
    CHECK("init_bad_magic", esp_wifi_init(&bad));
    CHECK("init", esp_wifi_init(&init));
    CHECK("mode_invalid", esp_wifi_set_mode(WIFI_MODE_MAX));
    CHECK("set_mode_sta", esp_wifi_set_mode(WIFI_MODE_STA));
    wifi_mode_t mode = WIFI_MODE_NULL;
    esp_wifi_get_mode(&mode);
    ESP_LOGI(TAG, "CHECK get_mode=%d", (int)mode);
    wifi_config_t ap = { 0 };
    CHECK("ap_config_in_sta_mode", esp_wifi_set_config(WIFI_IF_AP, &ap));
    CHECK("connect_before_start", esp_wifi_connect());
    CHECK("storage_ram", esp_wifi_set_storage(WIFI_STORAGE_RAM));
    wifi_config_t sta = { 0 };
    strcpy((char *)sta.sta.ssid, "lab-ap");
    strcpy((char *)sta.sta.password, "lab-pass-1");
    CHECK("set_config_sta", esp_wifi_set_config(WIFI_IF_STA, &sta));
    wifi_config_t back = { 0 };
    esp_wifi_get_config(WIFI_IF_STA, &back);
    ESP_LOGI(TAG, "CHECK get_config_ssid=%s", (const char *)back.sta.ssid);
    CHECK("set_ps_none", esp_wifi_set_ps(WIFI_PS_NONE));
    wifi_ps_type_t ps = WIFI_PS_MAX_MODEM;
    esp_wifi_get_ps(&ps);
    ESP_LOGI(TAG, "CHECK get_ps=%d", (int)ps);
    uint8_t sta_mac[6], ap_mac[6], read_sta[6];
    esp_wifi_get_mac(WIFI_IF_STA, sta_mac);
    esp_wifi_get_mac(WIFI_IF_AP, ap_mac);
    esp_read_mac(read_sta, ESP_MAC_WIFI_STA);
    ESP_LOGI(TAG, "CHECK mac_sta_matches_read_mac=%d", memcmp(sta_mac, read_sta, 6) == 0);
    ESP_LOGI(TAG, "CHECK mac_ap_differs=%d", memcmp(sta_mac, ap_mac, 6) != 0);
    wifi_ap_record_t info;
    CHECK("ap_info_before_start", esp_wifi_sta_get_ap_info(&info));

    CHECK("start", esp_wifi_start());
    CHECK("scan_blocking", esp_wifi_scan_start(NULL, true));
    uint16_t number = 0;
    esp_wifi_scan_get_ap_num(&number);
    ESP_LOGI(TAG, "CHECK scan_ap_num=%u", number);
    wifi_ap_record_t records[8];
    uint16_t max = 8;
    CHECK("scan_records", esp_wifi_scan_get_ap_records(&max, records));
    for (uint16_t i = 0; i < max; i++) {
        ESP_LOGI(TAG, "CHECK scan_record_%u=%s/%d/ch%u/auth%d", i, (const char *)records[i].ssid, records[i].rssi,
                 records[i].primary, (int)records[i].authmode);
    }
    esp_wifi_scan_get_ap_num(&number);
    ESP_LOGI(TAG, "CHECK scan_ap_num_after_records=%u", number);

    CHECK("ap_info_not_connected", esp_wifi_sta_get_ap_info(&info));
    CHECK("connect", esp_wifi_connect());
    CHECK("scan_while_connecting", esp_wifi_scan_start(NULL, false));
    xEventGroupWaitBits(s_bits, CONNECTED, pdTRUE, pdFALSE, pdMS_TO_TICKS(10000));
    CHECK("ap_info_connected", esp_wifi_sta_get_ap_info(&info));
    ESP_LOGI(TAG, "CHECK ap_info=%s/%d/ch%u", (const char *)info.ssid, info.rssi, info.primary);
    CHECK("disconnect", esp_wifi_disconnect());
    xEventGroupWaitBits(s_bits, DISCONNECTED, pdTRUE, pdFALSE, pdMS_TO_TICKS(10000));
    CHECK("deinit_while_started", esp_wifi_deinit());
    CHECK("stop", esp_wifi_stop());
    xEventGroupWaitBits(s_bits, STOPPED, pdTRUE, pdFALSE, pdMS_TO_TICKS(10000));
    CHECK("deinit", esp_wifi_deinit());
    ESP_LOGI(TAG, "CHECK done=1");
}
