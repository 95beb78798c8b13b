/*
 * Status web server: the device end of "curl http://192.168.100.2/".
 * Every byte of a response crosses the UART tunnel, so the pages stay small.
 * The emulator build shows the tunnel's counters; the Wi-Fi build (CONFIG_WIFI_MANAGER)
 * the station's state instead, since it has no tunnel.
 */
#include "web_server.h"

#include <inttypes.h>
#include <stdio.h>

#include "esp_http_server.h"
#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER
#include "wifi_manager.h"
#include "wifi_reason.h"
#else
#include "netif_uart_tunnel_sim.h"
#endif

static const char *TAG = "web_server";

static httpd_handle_t s_server;

static uint32_t uptime_seconds(void)
{
    return (uint32_t)(xTaskGetTickCount() / configTICK_RATE_HZ);
}

#if CONFIG_WIFI_MANAGER

static esp_err_t root_get_handler(httpd_req_t *req)
{
    wifi_manager_status_t st;
    wifi_manager_get_status(&st);
    char page[640];
    const int n = snprintf(page, sizeof page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Wi-Fi station</title></head>"
        "<body><h1>ESP32 on Wi-Fi</h1><p>up %" PRIu32 " s</p>"
        "<table>"
        "<tr><td>state</td><td>%s</td><td>RSSI</td><td>%d dBm</td></tr>"
        "<tr><td>attempts</td><td>%" PRIu32 "</td><td>connects</td><td>%" PRIu32 "</td></tr>"
        "<tr><td>last disconnect</td><td>%u (%s)</td><td>failures in a row</td><td>%" PRIu32 "</td></tr>"
        "</table><p><a href=\"/api/status\">/api/status</a> (JSON)</p></body></html>\n",
        uptime_seconds(), wifi_manager_state_name(st.state), st.rssi, st.attempts, st.connects,
        st.last_reason, st.last_reason != 0 ? wifi_reason_name(st.last_reason) : "none", st.failures);
    if (n < 0 || n >= (int)sizeof page) {
        return httpd_resp_send_500(req);
    }
    httpd_resp_set_type(req, "text/html");
    return httpd_resp_send(req, page, n);
}

/* Counters and names only: the SSID may be any 32 bytes, which a JSON string would need escaped. */
static int status_json(char *json, size_t size)
{
    wifi_manager_status_t st;
    wifi_manager_get_status(&st);
    return snprintf(json, size,
        "{\"uptime_s\":%" PRIu32 ","
        "\"wifi\":{\"state\":\"%s\",\"rssi\":%d,\"attempts\":%" PRIu32 ",\"connects\":%" PRIu32 ","
        "\"failures\":%" PRIu32 ",\"last_disconnect_reason\":%u,\"last_disconnect\":\"%s\"}}\n",
        uptime_seconds(), wifi_manager_state_name(st.state), st.rssi, st.attempts, st.connects, st.failures,
        st.last_reason, st.last_reason != 0 ? wifi_reason_name(st.last_reason) : "");
}

#else

static esp_err_t root_get_handler(httpd_req_t *req)
{
    netif_uart_tunnel_stats_t st;
    netif_uart_tunnel_get_stats(&st);
    char page[768];
    const int n = snprintf(page, sizeof page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>UART tunnel</title></head>"
        "<body><h1>ESP32 over the UART tunnel</h1>"
        "<p>192.168.100.2/24, gateway 192.168.100.1, up %" PRIu32 " s</p>"
        "<table>"
        "<tr><td>RX frames</td><td>%" PRIu32 "</td><td>RX bytes</td><td>%" PRIu32 "</td></tr>"
        "<tr><td>TX frames</td><td>%" PRIu32 "</td><td>TX bytes</td><td>%" PRIu32 "</td></tr>"
        "<tr><td>invalid lengths</td><td>%" PRIu32 "</td><td>incomplete</td><td>%" PRIu32 "</td></tr>"
        "<tr><td>RX dropped</td><td>%" PRIu32 "</td><td>TX errors</td><td>%" PRIu32 "</td></tr>"
        "</table><p><a href=\"/api/status\">/api/status</a> (JSON)</p></body></html>\n",
        uptime_seconds(), st.rx_frames, st.rx_bytes, st.tx_frames, st.tx_bytes,
        st.rx_invalid_length, st.rx_incomplete, st.rx_dropped, st.tx_errors);
    if (n < 0 || n >= (int)sizeof page) {
        return httpd_resp_send_500(req);
    }
    httpd_resp_set_type(req, "text/html");
    return httpd_resp_send(req, page, n);
}

static int status_json(char *json, size_t size)
{
    netif_uart_tunnel_stats_t st;
    netif_uart_tunnel_get_stats(&st);
    return snprintf(json, size,
        "{\"uptime_s\":%" PRIu32 ","
        "\"rx_frames\":%" PRIu32 ",\"rx_bytes\":%" PRIu32 ","
        "\"tx_frames\":%" PRIu32 ",\"tx_bytes\":%" PRIu32 ","
        "\"errors\":{\"rx_invalid_length\":%" PRIu32 ",\"rx_incomplete\":%" PRIu32 ","
        "\"rx_dropped\":%" PRIu32 ",\"tx_errors\":%" PRIu32 "}}\n",
        uptime_seconds(), st.rx_frames, st.rx_bytes, st.tx_frames, st.tx_bytes,
        st.rx_invalid_length, st.rx_incomplete, st.rx_dropped, st.tx_errors);
}

#endif

static esp_err_t api_status_get_handler(httpd_req_t *req)
{
    char json[384];
    const int n = status_json(json, sizeof json);
    if (n < 0 || n >= (int)sizeof json) {
        return httpd_resp_send_500(req);
    }
    httpd_resp_set_type(req, "application/json");
    httpd_resp_set_hdr(req, "Cache-Control", "no-store");
    return httpd_resp_send(req, json, n);
}

esp_err_t web_server_start(void)
{
    if (s_server != NULL) {
        return ESP_OK;
    }
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    esp_err_t err = httpd_start(&s_server, &config);
    if (err != ESP_OK) {
        s_server = NULL;
        return err;
    }

    static const httpd_uri_t routes[] = {
        { .uri = "/", .method = HTTP_GET, .handler = root_get_handler, .user_ctx = NULL },
        { .uri = "/api/status", .method = HTTP_GET, .handler = api_status_get_handler,
          .user_ctx = NULL },
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        err = httpd_register_uri_handler(s_server, &routes[i]);
        if (err != ESP_OK) {
            ESP_LOGE(TAG, "register %s: %s", routes[i].uri, esp_err_to_name(err));
            web_server_stop();
            return err;
        }
    }
    ESP_LOGI(TAG, "listening on port %d", (int)config.server_port);
    return ESP_OK;
}

void web_server_stop(void)
{
    if (s_server != NULL) {
        httpd_stop(s_server);
        s_server = NULL;
    }
}
