/*
 * An application that serves HTTPS with esp_https_server, started as ESP-IDF's https_server examples start it,
 * built with --driver (beside the in-repo UART tunnel driver). Its certificate and key come from
 * https_app_certs.h, which the test writes (servercert_pem, prvtkey_pem; empty strings for none).
 * First it logs what httpd_ssl_start answers for a configuration without a certificate and for one asking for
 * session tickets; then, when it has a certificate, it brings up the tunnel and serves "/" over TLS on 443.
 */
#include <string.h>

#include "esp_https_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "netif_uart_tunnel_sim.h"
#include "https_app_certs.h"

static const char *TAG = "https_app";

static esp_err_t root_get(httpd_req_t *req)
{
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, "hello over TLS from a driver file\n");
}

void app_main(void)
{
    httpd_handle_t server = NULL;
    httpd_ssl_config_t bare = HTTPD_SSL_CONFIG_DEFAULT();
    ESP_LOGI(TAG, "no certificate: %s", esp_err_to_name(httpd_ssl_start(&server, &bare)));
    httpd_ssl_config_t tickets = HTTPD_SSL_CONFIG_DEFAULT();
    tickets.session_tickets = true;
    ESP_LOGI(TAG, "tickets: %s", esp_err_to_name(httpd_ssl_start(&server, &tickets)));
    if (servercert_pem[0] == '\0') {
        return;
    }

    ESP_ERROR_CHECK(esp_netif_init());
    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    ESP_ERROR_CHECK(netif_uart_tunnel_init(&tunnel));
    httpd_ssl_config_t config = HTTPD_SSL_CONFIG_DEFAULT();
    config.servercert = (const uint8_t *)servercert_pem;
    config.servercert_len = sizeof servercert_pem;      /* the NUL included, as EMBED_TXTFILES gives it */
    config.prvtkey_pem = (const uint8_t *)prvtkey_pem;
    config.prvtkey_len = sizeof prvtkey_pem;
    ESP_ERROR_CHECK(httpd_ssl_start(&server, &config));
    httpd_uri_t root = { .uri = "/", .method = HTTP_GET, .handler = root_get };
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &root));
    ESP_LOGI(TAG, "serving");   /* the tests' cue: "/" is registered */
}
