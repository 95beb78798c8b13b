/*
 * esp_http_server's session API used directly, as a transport layer such as esp_https_server uses it: open_fn
 * installs counting send/recv overrides (which call httpd_default_send/recv), a pending function and a transport
 * context; GET /visit keeps a per-connection counter in req->sess_ctx; close_fn and the free functions log, so the
 * test sees their order.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "netif_uart_tunnel_sim.h"

static const char *TAG = "transport_app";
static atomic_int s_recv_calls, s_send_calls, s_pending_calls;

typedef struct {
    int fd;
    int requests;
} visits_t;

static int counting_recv(httpd_handle_t hd, int sockfd, char *buf, size_t buf_len, int flags)
{
    s_recv_calls++;
    return httpd_default_recv(hd, sockfd, buf, buf_len, flags);
}

static int counting_send(httpd_handle_t hd, int sockfd, const char *buf, size_t buf_len, int flags)
{
    s_send_calls++;
    return httpd_default_send(hd, sockfd, buf, buf_len, flags);
}

static int nothing_pending(httpd_handle_t hd, int sockfd)
{
    s_pending_calls++;
    return 0;
}

static void free_transport(void *ctx)
{
    ESP_LOGI(TAG, "transport ctx freed: %s", (char *)ctx);
    free(ctx);
}

static void free_visits(void *ctx)
{
    visits_t *visits = ctx;
    ESP_LOGI(TAG, "sess ctx freed: %d requests", visits->requests);
    free(visits);
}

static esp_err_t on_open(httpd_handle_t hd, int sockfd)
{
    ESP_LOGI(TAG, "open_fn: global transport ctx %s", (char *)httpd_get_global_transport_ctx(hd));
    httpd_sess_set_recv_override(hd, sockfd, counting_recv);
    httpd_sess_set_send_override(hd, sockfd, counting_send);
    httpd_sess_set_pending_override(hd, sockfd, nothing_pending);
    httpd_sess_set_transport_ctx(hd, sockfd, strdup("per-connection"), free_transport);
    return ESP_OK;
}

static void on_close(httpd_handle_t hd, int sockfd)
{
    visits_t *visits = httpd_sess_get_ctx(hd, sockfd);
    ESP_LOGI(TAG, "close_fn: transport ctx %s, %d requests", (char *)httpd_sess_get_transport_ctx(hd, sockfd),
             visits != NULL ? visits->requests : -1);
}

static esp_err_t visit(httpd_req_t *req)
{
    visits_t *visits = req->sess_ctx;
    if (visits == NULL) {
        visits = calloc(1, sizeof *visits);
        visits->fd = httpd_req_to_sockfd(req);
        req->sess_ctx = visits;
        req->free_ctx = free_visits;
    }
    visits->requests++;
    char body[128];
    snprintf(body, sizeof body, "requests=%d same=%d recv=%d send=%d pending=%d\n", visits->requests,
             httpd_sess_get_ctx(req->handle, visits->fd) == visits, s_recv_calls, s_send_calls, s_pending_calls);
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_sendstr(req, body);
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    ESP_ERROR_CHECK(netif_uart_tunnel_init(&tunnel));
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    config.open_fn = on_open;
    config.close_fn = on_close;
    config.global_transport_ctx = strdup("global");
    httpd_handle_t server = NULL;
    ESP_ERROR_CHECK(httpd_start(&server, &config));
    httpd_uri_t uri = { .uri = "/visit", .method = HTTP_GET, .handler = visit };
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &uri));
    ESP_LOGI(TAG, "serving");   /* the tests' cue: "/visit" is registered */
}
