/*
 * esp_https_server on the host, compiled into the firmware beside esp-tls (see esp_https_server.h).  It does what
 * ESP-IDF v5.4's components/esp_https_server/src/https_server.c does, through the host esp_http_server's public
 * session transport API only:
 *   httpd_ssl_start     create_secure_context (copies of the PEM buffers), then httpd_start with open_fn = the
 *                       handshake, the global transport context and port_secure; or plain HTTP on port_insecure
 *   httpd_ssl_open      esp_tls_server_session_create on the accepted socket; on success the session's transport
 *                       context and send/recv/pending overrides, the firmware's own open_fn, user_cb (CREATE);
 *                       on failure an error line (tag "esp_https_server") and ESP_FAIL, so httpd drops the session
 *   httpd_ssl_close     (the transport context's free function) user_cb (CLOSE), then the TLS session freed
 *   send/recv/pending   esp_tls_conn_write / esp_tls_conn_read / esp_tls_get_bytes_avail
 *   events              ESP_HTTPS_SERVER_EVENT on the default loop, as http_dispatch_event_to_event_loop posts them
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "esp_https_server.h"
#include "esp_log.h"
#include "sdkconfig.h"

static const char *TAG = "esp_https_server";

ESP_EVENT_DEFINE_BASE(ESP_HTTPS_SERVER_EVENT);

#ifndef CONFIG_ESP_HTTPS_SERVER_EVENT_POST_TIMEOUT
#define CONFIG_ESP_HTTPS_SERVER_EVENT_POST_TIMEOUT 2000     /* v5.4's Kconfig default */
#endif
#if CONFIG_ESP_HTTPS_SERVER_EVENT_POST_TIMEOUT == -1
#define EVENT_POST_TIMEOUT portMAX_DELAY
#else
#define EVENT_POST_TIMEOUT pdMS_TO_TICKS(CONFIG_ESP_HTTPS_SERVER_EVENT_POST_TIMEOUT)
#endif

/* The server's TLS configuration (httpd's global transport context). */
typedef struct {
    esp_tls_cfg_server_t *tls_cfg;
    httpd_open_func_t open_fn;          /* the firmware's own open_fn, called after the handshake */
    esp_https_server_user_cb *user_cb;
} https_server_ctx_t;

/* One connection's TLS session (its session transport context). */
typedef struct {
    esp_tls_t *tls;
    https_server_ctx_t *server_ctx;
} https_session_ctx_t;

static void post_event(int32_t event_id, const void *data, size_t size)
{
    esp_err_t err = esp_event_post(ESP_HTTPS_SERVER_EVENT, event_id, data, size, EVENT_POST_TIMEOUT);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "Failed to post https server event: %" PRId32 ", error: %s", event_id, esp_err_to_name(err));
    }
}

/* HTTPS_SERVER_EVENT_ERROR with the connection's last esp-tls error (which reading clears). */
static void post_tls_error(esp_tls_t *tls)
{
    esp_tls_error_handle_t handle;
    if (esp_tls_get_error_handle(tls, &handle) == ESP_OK) {
        esp_https_server_last_error_t last = { 0 };
        last.last_error = esp_tls_get_and_clear_last_error(handle, &last.esp_tls_error_code, &last.esp_tls_flags);
        post_event(HTTPS_SERVER_EVENT_ERROR, &last, sizeof last);
    }
}

static void post_no_memory(void)
{
    esp_https_server_last_error_t last = { .last_error = ESP_ERR_NO_MEM };
    post_event(HTTPS_SERVER_EVENT_ERROR, &last, sizeof last);
}

static void call_user_cb(https_server_ctx_t *server_ctx, httpd_ssl_user_cb_state_t state, esp_tls_t *tls)
{
    if (server_ctx->user_cb != NULL) {
        esp_https_server_user_cb_arg_t arg = { .user_cb_state = state, .tls = tls };
        server_ctx->user_cb(&arg);
    }
}

static void httpd_ssl_close(void *ctx)
{
    https_session_ctx_t *session = ctx;
    call_user_cb(session->server_ctx, HTTPD_SSL_USER_CB_SESS_CLOSE, session->tls);
    esp_tls_server_session_delete(session->tls);
    free(session);
    ESP_LOGD(TAG, "Secure socket closed");
    post_event(HTTPS_SERVER_EVENT_DISCONNECTED, NULL, 0);
}

static esp_tls_t *session_tls(httpd_handle_t server, int sockfd)
{
    https_session_ctx_t *session = httpd_sess_get_transport_ctx(server, sockfd);
    return session != NULL ? session->tls : NULL;
}

static int httpd_ssl_pending(httpd_handle_t server, int sockfd)
{
    esp_tls_t *tls = session_tls(server, sockfd);
    if (tls == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    int available = (int)esp_tls_get_bytes_avail(tls);
    if (available < 0) {
        post_tls_error(tls);
    }
    return available;
}

static int httpd_ssl_recv(httpd_handle_t server, int sockfd, char *buf, size_t buf_len, int flags)
{
    (void)flags;
    esp_tls_t *tls = session_tls(server, sockfd);
    if (tls == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    int received = (int)esp_tls_conn_read(tls, buf, buf_len);
    if (received < 0) {
        post_tls_error(tls);
    } else {
        post_event(HTTPS_SERVER_EVENT_ON_DATA, &received, sizeof received);
    }
    return received;
}

static int httpd_ssl_send(httpd_handle_t server, int sockfd, const char *buf, size_t buf_len, int flags)
{
    (void)flags;
    esp_tls_t *tls = session_tls(server, sockfd);
    if (tls == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    int sent = (int)esp_tls_conn_write(tls, buf, buf_len);
    if (sent < 0) {
        post_tls_error(tls);
    } else {
        post_event(HTTPS_SERVER_EVENT_SENT_DATA, NULL, 0);
    }
    return sent;
}

/* The httpd's open_fn: the TLS handshake on the freshly accepted socket. */
static esp_err_t httpd_ssl_open(httpd_handle_t server, int sockfd)
{
    https_server_ctx_t *server_ctx = httpd_get_global_transport_ctx(server);
    esp_tls_t *tls = esp_tls_init();
    if (server_ctx == NULL || tls == NULL) {
        free(tls);
        post_no_memory();
        return ESP_ERR_NO_MEM;
    }
    ESP_LOGI(TAG, "performing session handshake");
    int ret = esp_tls_server_session_create(server_ctx->tls_cfg, sockfd, tls);
    if (ret != 0) {
        ESP_LOGE(TAG, "esp_tls_create_server_session failed, 0x%04x", -ret);
        post_tls_error(tls);
        esp_tls_server_session_delete(tls);
        return ESP_FAIL;
    }
    https_session_ctx_t *session = calloc(1, sizeof *session);
    if (session == NULL) {
        esp_tls_server_session_delete(tls);
        post_no_memory();
        return ESP_ERR_NO_MEM;
    }
    session->tls = tls;
    session->server_ctx = server_ctx;
    httpd_sess_set_transport_ctx(server, sockfd, session, httpd_ssl_close);
    httpd_sess_set_send_override(server, sockfd, httpd_ssl_send);
    httpd_sess_set_recv_override(server, sockfd, httpd_ssl_recv);
    httpd_sess_set_pending_override(server, sockfd, httpd_ssl_pending);
    ESP_LOGD(TAG, "Secure socket open");
    if (server_ctx->open_fn != NULL) {
        server_ctx->open_fn(server, sockfd);    /* its result is not looked at, as in v5.4 */
    }
    call_user_cb(server_ctx, HTTPD_SSL_USER_CB_SESS_CREATE, tls);
    post_event(HTTPS_SERVER_EVENT_ON_CONNECTED, NULL, 0);
    return ESP_OK;
}

static void free_tls_cfg(esp_tls_cfg_server_t *cfg)
{
    if (cfg != NULL) {
        free((void *)cfg->cacert_buf);
        free((void *)cfg->servercert_buf);
        free((void *)cfg->serverkey_buf);
        esp_tls_cfg_server_session_tickets_free(cfg);
        free(cfg);
    }
}

static void free_server_ctx(https_server_ctx_t *server_ctx)
{
    free_tls_cfg(server_ctx->tls_cfg);
    free(server_ctx);
}

/* The global transport context's free function: runs when the server is deleted. */
static void free_secure_context(void *ctx)
{
    ESP_LOGI(TAG, "Server shuts down, releasing SSL context");
    free_server_ctx(ctx);
}

/* A copy of a PEM buffer the firmware passed (it need not outlive httpd_ssl_start). */
static esp_err_t copy_pem(const uint8_t *pem, size_t length, const unsigned char **out, unsigned int *out_length,
                          const char *what)
{
    unsigned char *copy = malloc(length);
    if (copy == NULL) {
        ESP_LOGE(TAG, "Could not allocate memory for %s", what);
        return ESP_ERR_NO_MEM;
    }
    memcpy(copy, pem, length);
    *out = copy;
    *out_length = (unsigned int)length;
    return ESP_OK;
}

static esp_err_t create_secure_context(const httpd_ssl_config_t *config, https_server_ctx_t *server_ctx)
{
    esp_tls_cfg_server_t *cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL) {
        return ESP_ERR_NO_MEM;
    }
    server_ctx->tls_cfg = cfg;
    server_ctx->user_cb = config->user_cb;
    esp_err_t err = ESP_OK;
    if (config->session_tickets) {
        err = esp_tls_cfg_server_session_tickets_init(cfg);
        if (err != ESP_OK) {
            ESP_LOGE(TAG, "Failed to init session ticket support. error: %s", esp_err_to_name(err));
            return err;
        }
    }
    cfg->userdata = config->ssl_userdata;
    cfg->alpn_protos = config->alpn_protos;
    if (config->cacert_pem != NULL && config->cacert_len > 0) {
        err = copy_pem(config->cacert_pem, config->cacert_len, &cfg->cacert_buf, &cfg->cacert_bytes,
                       "client certificate authority");
        if (err != ESP_OK) {
            return err;
        }
    }
    if (config->servercert == NULL || config->servercert_len == 0) {
        ESP_LOGE(TAG, "No Server certificate supplied");
        return ESP_ERR_INVALID_ARG;
    }
    err = copy_pem(config->servercert, config->servercert_len, &cfg->servercert_buf, &cfg->servercert_bytes,
                   "server certificate");
    if (err != ESP_OK) {
        return err;
    }
    if (config->use_secure_element) {
        ESP_LOGE(TAG, "the host has no secure element: supply prvtkey_pem");
        return ESP_ERR_NOT_SUPPORTED;
    }
    if (config->use_ecdsa_peripheral) {
        ESP_LOGE(TAG, "Please enable the support for signing using ECDSA peripheral in menuconfig.");
        return ESP_ERR_NOT_SUPPORTED;
    }
    if (config->prvtkey_pem == NULL || config->prvtkey_len == 0) {
        ESP_LOGE(TAG, "No Server key supplied");
        return ESP_ERR_INVALID_ARG;
    }
    return copy_pem(config->prvtkey_pem, config->prvtkey_len, &cfg->serverkey_buf, &cfg->serverkey_bytes,
                    "server key");
}

esp_err_t httpd_ssl_start(httpd_handle_t *handle, httpd_ssl_config_t *config)
{
    if (handle == NULL || config == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    ESP_LOGI(TAG, "Starting server");
    https_server_ctx_t *server_ctx = NULL;
    if (config->transport_mode == HTTPD_SSL_TRANSPORT_SECURE) {
        server_ctx = calloc(1, sizeof *server_ctx);
        if (server_ctx == NULL) {
            return ESP_ERR_NO_MEM;
        }
        esp_err_t err = create_secure_context(config, server_ctx);
        if (err != ESP_OK) {
            free_server_ctx(server_ctx);
            return err;
        }
        ESP_LOGD(TAG, "SSL context ready");
        config->httpd.global_transport_ctx = server_ctx;
        config->httpd.global_transport_ctx_free_fn = free_secure_context;
        server_ctx->open_fn = config->httpd.open_fn;
        config->httpd.open_fn = httpd_ssl_open;
        config->httpd.server_port = config->port_secure;
    } else {
        ESP_LOGD(TAG, "SSL disabled, using plain HTTP");
        config->httpd.server_port = config->port_insecure;
    }
    httpd_handle_t server = NULL;
    esp_err_t err = httpd_start(&server, &config->httpd);
    if (err != ESP_OK) {
        if (server_ctx != NULL) {
            free_server_ctx(server_ctx);   /* httpd_start failed before taking the global transport context */
        }
        return err;
    }
    *handle = server;
    ESP_LOGI(TAG, "Server listening on port %d", config->httpd.server_port);
    post_event(HTTPS_SERVER_EVENT_START, NULL, 0);
    return ESP_OK;
}

esp_err_t httpd_ssl_stop(httpd_handle_t handle)
{
    esp_err_t err = httpd_stop(handle);
    if (err == ESP_OK) {
        post_event(HTTPS_SERVER_EVENT_STOP, NULL, 0);
    }
    return err;
}
