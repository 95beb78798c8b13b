/*
 * A clean-room web application on esp_http_server, in the shape ESP-IDF's http_server examples have, over the
 * in-repo UART tunnel driver (netif_uart_tunnel_sim.c).  RuntimeHTTPServerTests reaches it with the kernel's curl:
 *
 *   POST /api/echo        reads the body (httpd_req_recv, content_len), answers 201 with a header of its own
 *   GET  /files/​*        wildcard; answers in chunks with the query's "name" (httpd_query_key_value)
 *   OPTIONS /api/echo     204 with Allow
 *   GET  /led?            "?" makes the "d" optional: /le and /led
 *   404                   a custom error handler (httpd_register_err_handler) that keeps the connection
 *   POST /restart         answers, then esp_restart() (its slot replaces /fifth)
 *
 * Limits: max_uri_handlers 5 (a sixth registration fails and says so), max_open_sockets 2 with lru_purge_enable.
 * At boot it logs httpd_uri_match_wildcard's answers for a table of templates ("probe match …").
 */
#include <stdio.h>
#include <string.h>

#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "netif_uart_tunnel_sim.h"
#include "nvs_flash.h"

static const char *TAG = "probe";

static esp_err_t echo_post(httpd_req_t *req)
{
    char body[256];
    size_t received = 0;
    while (received < req->content_len) {
        int n = httpd_req_recv(req, body + received, sizeof body - 1 - received);
        if (n == HTTPD_SOCK_ERR_TIMEOUT) {
            continue;
        }
        if (n <= 0) {
            return ESP_FAIL;
        }
        received += (size_t)n;
    }
    body[received] = '\0';
    char type[64] = "";
    size_t type_length = httpd_req_get_hdr_value_len(req, "Content-Type");
    httpd_req_get_hdr_value_str(req, "Content-Type", type, sizeof type);
    char answer[400];
    snprintf(answer, sizeof answer, "{\"length\":%u,\"body\":\"%s\",\"type\":\"%s\",\"type_length\":%u}",
             (unsigned)req->content_len, body, type, (unsigned)type_length);
    httpd_resp_set_status(req, "201 Created");
    httpd_resp_set_type(req, HTTPD_TYPE_JSON);
    httpd_resp_set_hdr(req, "X-Probe", "echo");
    return httpd_resp_sendstr(req, answer);
}

static esp_err_t echo_options(httpd_req_t *req)
{
    httpd_resp_set_status(req, HTTPD_204);
    httpd_resp_set_hdr(req, "Allow", "POST, OPTIONS");
    return httpd_resp_send(req, NULL, 0);
}

static esp_err_t files_get(httpd_req_t *req)
{
    char query[64] = "", name[32] = "(none)";
    if (httpd_req_get_url_query_len(req) > 0 && httpd_req_get_url_query_str(req, query, sizeof query) == ESP_OK) {
        httpd_query_key_value(query, "name", name, sizeof name);
    }
    httpd_resp_set_type(req, "text/plain");
    httpd_resp_sendstr_chunk(req, "files:");
    httpd_resp_sendstr_chunk(req, req->uri);
    httpd_resp_sendstr_chunk(req, " name=");
    httpd_resp_sendstr_chunk(req, name);
    return httpd_resp_sendstr_chunk(req, NULL);
}

/* As web firmware does after saving settings: answer, give lwIP a moment to send it, reset the chip. */
static esp_err_t restart_post(httpd_req_t *req)
{
    httpd_resp_sendstr(req, "restarting");
    vTaskDelay(pdMS_TO_TICKS(200));
    esp_restart();
}

static esp_err_t led_get(httpd_req_t *req)
{
    return httpd_resp_sendstr(req, "led");
}

static esp_err_t not_found(httpd_req_t *req, httpd_err_code_t error)
{
    (void)error;
    httpd_resp_set_status(req, HTTPD_404);
    httpd_resp_set_type(req, "text/plain");
    httpd_resp_sendstr(req, "custom 404");
    return ESP_OK;
}

static void log_matches(void)
{
    static const char *const table[][2] = {
        { "/api/*", "/api/x/y" }, { "/api/*", "/api" }, { "/api/*", "/api/" }, { "/led?", "/le" },
        { "/led?", "/led" }, { "/led?", "/leds" }, { "/led?*", "/ledstrip" }, { "/led?*", "/lex" },
        { "/a*b", "/axb" }, { "/a*b", "/a*b" }, { "?", "" }, { "/exact", "/exact" }, { "/exact", "/exactly" },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        ESP_LOGI(TAG, "probe match %s %s: %d", table[i][0], table[i][1],
                 httpd_uri_match_wildcard(table[i][0], table[i][1], strlen(table[i][1])));
    }
}

void app_main(void)
{
    ESP_LOGI(TAG, "probe reset reason: %d", (int)esp_reset_reason());
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    memcpy(tunnel.ip, (const uint8_t[]){ 192, 168, 100, 2 }, 4);
    memcpy(tunnel.netmask, (const uint8_t[]){ 255, 255, 255, 0 }, 4);
    memcpy(tunnel.gw, (const uint8_t[]){ 192, 168, 100, 1 }, 4);
    ESP_ERROR_CHECK(netif_uart_tunnel_init(&tunnel));

    log_matches();
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    config.max_uri_handlers = 5;
    config.max_open_sockets = 2;
    config.lru_purge_enable = true;
    config.uri_match_fn = httpd_uri_match_wildcard;
    httpd_handle_t server = NULL;
    ESP_ERROR_CHECK(httpd_start(&server, &config));
    const httpd_uri_t handlers[] = {
        { .uri = "/api/echo", .method = HTTP_POST, .handler = echo_post },
        { .uri = "/api/echo", .method = HTTP_OPTIONS, .handler = echo_options },
        { .uri = "/files/*", .method = HTTP_GET, .handler = files_get },
        { .uri = "/led?", .method = HTTP_GET, .handler = led_get },
        { .uri = "/files/again", .method = HTTP_GET, .handler = led_get },   /* the wildcard already covers it */
        { .uri = "/restart", .method = HTTP_POST, .handler = restart_post },
        { .uri = "/sixth", .method = HTTP_GET, .handler = led_get },
    };
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
        ESP_LOGI(TAG, "probe register %s %d: %s", handlers[i].uri, handlers[i].method,
                 esp_err_to_name(httpd_register_uri_handler(server, &handlers[i])));
    }
    ESP_LOGI(TAG, "probe err handler: %s",
             esp_err_to_name(httpd_register_err_handler(server, HTTPD_404_NOT_FOUND, not_found)));
    ESP_LOGI(TAG, "probe limits: hdr=%d uri=%d", HTTPD_MAX_REQ_HDR_LEN, HTTPD_MAX_URI_LEN);
}
