/*
 * A clean-room AP + STA firmware in the manner of ESP-IDF's softap_sta example: both default
 * Wi-Fi netifs, APSTA mode, the station joining "lab-ap" (reconnecting on every disconnect),
 * the soft-AP "apsta-demo" for others to join, and one esp_http_server whose answer names the
 * address the request came in on, so a client sees which side of the device it reached.
 * Every event is logged with its payload on one "EVENT …" line for the tests.
 */
#include <string.h>

#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "lwip/sockets.h"
#include "nvs_flash.h"

#define UPLINK_SSID "lab-ap"
#define UPLINK_PASSWORD "lab-pass-1"
#define AP_SSID "apsta-demo"
#define AP_PASSWORD "demo-pass-1"
#define AP_CHANNEL 6
#define AP_MAX_STATIONS 4

static const char *TAG = "apsta";
static esp_netif_t *s_ap_netif;

static void log_station_list(void)
{
    wifi_sta_list_t list;
    if (esp_wifi_ap_get_sta_list(&list) != ESP_OK) {
        ESP_LOGW(TAG, "esp_wifi_ap_get_sta_list failed");
        return;
    }
    ESP_LOGI(TAG, "STATIONS num=%d", list.num);
    for (int i = 0; i < list.num; i++) {
        ESP_LOGI(TAG, "STATION " MACSTR " rssi=%d", MAC2STR(list.sta[i].mac), list.sta[i].rssi);
    }
}

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        ESP_LOGI(TAG, "EVENT STA_START");
        esp_wifi_connect();
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        const wifi_event_sta_disconnected_t *e = data;
        ESP_LOGI(TAG, "EVENT STA_DISCONNECTED reason=%u", e->reason);
        esp_wifi_connect();
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_AP_START) {
        ESP_LOGI(TAG, "EVENT AP_START");
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_AP_STACONNECTED) {
        const wifi_event_ap_staconnected_t *e = data;
        ESP_LOGI(TAG, "EVENT AP_STACONNECTED mac=" MACSTR " aid=%u mesh=%d", MAC2STR(e->mac), e->aid,
                 e->is_mesh_child);
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_AP_STADISCONNECTED) {
        const wifi_event_ap_stadisconnected_t *e = data;
        ESP_LOGI(TAG, "EVENT AP_STADISCONNECTED mac=" MACSTR " aid=%u reason=%u", MAC2STR(e->mac), e->aid, e->reason);
        log_station_list();
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *e = data;
        ESP_LOGI(TAG, "EVENT GOT_IP ip=" IPSTR, IP2STR(&e->ip_info.ip));
    } else if (base == IP_EVENT && id == IP_EVENT_AP_STAIPASSIGNED) {
        const ip_event_ap_staipassigned_t *e = data;
        ESP_LOGI(TAG, "EVENT AP_STAIPASSIGNED ip=" IPSTR " mac=" MACSTR " netif=%s", IP2STR(&e->ip), MAC2STR(e->mac),
                 e->esp_netif == s_ap_netif ? "ap" : "other");
        log_station_list();
    } else if (base == WIFI_EVENT) {
        ESP_LOGI(TAG, "EVENT WIFI %d", (int)id);
    }
}

/* GET /: which of the device's addresses took the request. */
static esp_err_t hello_get(httpd_req_t *req)
{
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    char body[96];
    if (lwip_getsockname(httpd_req_to_sockfd(req), (struct sockaddr *)&local, &len) != 0) {
        return httpd_resp_send_500(req);
    }
    snprintf(body, sizeof body, "apsta-demo answered on %s\n", inet_ntoa(local.sin_addr));
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, body);
}

static void start_web_server(void)
{
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    httpd_handle_t server = NULL;
    ESP_ERROR_CHECK(httpd_start(&server, &config));
    const httpd_uri_t hello = { .uri = "/", .method = HTTP_GET, .handler = hello_get };
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &hello));
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(IP_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL));

    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_APSTA));

    s_ap_netif = esp_netif_create_default_wifi_ap();
    wifi_config_t ap = {
        .ap = { .ssid = AP_SSID, .ssid_len = sizeof AP_SSID - 1, .password = AP_PASSWORD, .channel = AP_CHANNEL,
                .authmode = WIFI_AUTH_WPA2_PSK, .max_connection = AP_MAX_STATIONS },
    };
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_AP, &ap));

    esp_netif_create_default_wifi_sta();
    wifi_config_t sta = { .sta = { .ssid = UPLINK_SSID, .password = UPLINK_PASSWORD } };
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &sta));

    ESP_ERROR_CHECK(esp_wifi_start());
    ESP_LOGI(TAG, "soft-AP %s on channel %d, station joining %s", AP_SSID, AP_CHANNEL, UPLINK_SSID);
    start_web_server();
}
