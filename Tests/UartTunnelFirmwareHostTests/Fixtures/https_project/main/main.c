/*
 * https_project: the UART tunnel netif, then two servers started with httpd_ssl_start — TLS on 443 and, with
 * transport_mode insecure, plain HTTP on port_insecure 8080 — answering "/" with a body that names the transport.
 * GET /counts answers what the firmware saw: user_cb calls per state, HTTPS_SERVER_EVENT_* counts, and the last
 * error event's mbedTLS code, so tests can tell that the server itself handled a failed handshake.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "esp_event.h"
#include "esp_https_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_tls.h"
#include "netif_uart_tunnel_sim.h"
#include "nvs_flash.h"

static const char *TAG = "https_project";

static atomic_int s_created, s_closed, s_connected, s_disconnected, s_errors, s_last_tls_error, s_handshake_failed;

static void on_https_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    if (id == HTTPS_SERVER_EVENT_ERROR) {
        const esp_https_server_last_error_t *error = data;
        s_errors++;
        s_last_tls_error = error->esp_tls_error_code;
        if (error->last_error == ESP_ERR_MBEDTLS_SSL_HANDSHAKE_FAILED) {
            s_handshake_failed++;
        }
        ESP_LOGW(TAG, "error event: %s, tls error 0x%x, flags 0x%x", esp_err_to_name(error->last_error),
                 error->esp_tls_error_code, error->esp_tls_flags);
    } else if (id == HTTPS_SERVER_EVENT_ON_CONNECTED) {
        s_connected++;
    } else if (id == HTTPS_SERVER_EVENT_DISCONNECTED) {
        s_disconnected++;
    }
}

/* Called at TLS session creation and close, with the connection's esp-tls handle. */
static void on_session(esp_https_server_user_cb_arg_t *arg)
{
    int fd = -1;
    esp_tls_get_conn_sockfd(arg->tls, &fd);
    mbedtls_ssl_context *ssl = esp_tls_get_ssl_context(arg->tls);
    if (arg->user_cb_state == HTTPD_SSL_USER_CB_SESS_CREATE) {
        s_created++;
        ESP_LOGI(TAG, "session on socket %d, cipher suite %s", fd, mbedtls_ssl_get_ciphersuite(ssl));
    } else {
        s_closed++;
    }
}

static esp_err_t root_get(httpd_req_t *req)
{
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, req->user_ctx);
}

static esp_err_t counts_get(httpd_req_t *req)
{
    char body[192];
    snprintf(body, sizeof body, "created=%d closed=%d connected=%d disconnected=%d errors=%d handshake_failed=%d "
             "last_tls_error=0x%x\n", s_created, s_closed, s_connected, s_disconnected, s_errors, s_handshake_failed,
             s_last_tls_error);
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, body);
}

static httpd_handle_t start(httpd_ssl_transport_mode_t mode, const char *greeting)
{
    extern const unsigned char servercert_start[] asm("_binary_servercert_pem_start");
    extern const unsigned char servercert_end[] asm("_binary_servercert_pem_end");
    extern const unsigned char prvtkey_start[] asm("_binary_prvtkey_pem_start");
    extern const unsigned char prvtkey_end[] asm("_binary_prvtkey_pem_end");

    httpd_ssl_config_t config = HTTPD_SSL_CONFIG_DEFAULT();
    config.servercert = servercert_start;
    config.servercert_len = servercert_end - servercert_start;
    config.prvtkey_pem = prvtkey_start;
    config.prvtkey_len = prvtkey_end - prvtkey_start;
    config.transport_mode = mode;
    config.port_insecure = 8080;
    config.user_cb = on_session;
    if (mode == HTTPD_SSL_TRANSPORT_INSECURE) {
        config.httpd.ctrl_port += 1;
    }
    httpd_handle_t server = NULL;
    ESP_ERROR_CHECK(httpd_ssl_start(&server, &config));
    httpd_uri_t root = { .uri = "/", .method = HTTP_GET, .handler = root_get, .user_ctx = (void *)greeting };
    httpd_uri_t counts = { .uri = "/counts", .method = HTTP_GET, .handler = counts_get };
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &root));
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &counts));
    return server;
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_register(ESP_HTTPS_SERVER_EVENT, ESP_EVENT_ANY_ID, on_https_event, NULL));

    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    ESP_ERROR_CHECK(netif_uart_tunnel_init(&tunnel));
    start(HTTPD_SSL_TRANSPORT_SECURE, "hello over TLS from https_project\n");
    start(HTTPD_SSL_TRANSPORT_INSECURE, "hello over plain HTTP from https_project\n");
    ESP_LOGI(TAG, "serving");
}
