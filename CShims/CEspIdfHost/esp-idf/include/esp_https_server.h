/*
 * esp_https_server.h on the host: ESP-IDF v5.4's HTTPS server (components/esp_https_server), with v5.4's
 * config struct, HTTPD_SSL_CONFIG_DEFAULT, events and user callback.  As on ESP-IDF it is a layer over
 * esp_http_server: httpd_ssl_start sets open_fn to a TLS handshake that installs the session's send/recv/pending
 * overrides and transport context (esp_http_server.h's session transport API).  Its code
 * (idf-host/components/esp_https_server/https_server.c) and esp-tls's are compiled into the firmware, which links
 * Debian's mbedTLS (libmbedtls-dev): a project requiring esp_https_server, or a --driver file including this header.
 * Not on the host: secure element, ECDSA peripheral, certificate selection hook, session tickets (httpd_ssl_start
 * fails with session_tickets set, as v5.4 does when CONFIG_ESP_TLS_SERVER_SESSION_TICKETS is off).
 */
#ifndef ESP_IDF_HOST_ESP_HTTPS_SERVER_H
#define ESP_IDF_HOST_ESP_HTTPS_SERVER_H

#include <stdbool.h>
#include "esp_err.h"
#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_tls.h"

#ifdef __cplusplus
extern "C" {
#endif

ESP_EVENT_DECLARE_BASE(ESP_HTTPS_SERVER_EVENT);

typedef enum {
    HTTPS_SERVER_EVENT_ERROR = 0,       /* event data: esp_https_server_last_error_t */
    HTTPS_SERVER_EVENT_START,
    HTTPS_SERVER_EVENT_ON_CONNECTED,
    HTTPS_SERVER_EVENT_ON_DATA,         /* event data: int, the bytes received */
    HTTPS_SERVER_EVENT_SENT_DATA,
    HTTPS_SERVER_EVENT_DISCONNECTED,
    HTTPS_SERVER_EVENT_STOP,
} esp_https_server_event_id_t;

typedef enum {
    HTTPD_SSL_TRANSPORT_SECURE,
    HTTPD_SSL_TRANSPORT_INSECURE
} httpd_ssl_transport_mode_t;

typedef enum {
    HTTPD_SSL_USER_CB_SESS_CREATE,
    HTTPD_SSL_USER_CB_SESS_CLOSE
} httpd_ssl_user_cb_state_t;

typedef struct esp_https_server_user_cb_arg {
    httpd_ssl_user_cb_state_t user_cb_state;
    esp_tls_t *tls;
} esp_https_server_user_cb_arg_t;

typedef esp_tls_last_error_t esp_https_server_last_error_t;

typedef void esp_https_server_user_cb(esp_https_server_user_cb_arg_t *user_cb);

struct httpd_ssl_config {
    httpd_config_t httpd;
    const uint8_t *servercert;          /* PEM, NUL-terminated; servercert_len counts the NUL */
    size_t servercert_len;
    const uint8_t *cacert_pem;          /* CA for client certificates: when set, clients must present one */
    size_t cacert_len;
    const uint8_t *prvtkey_pem;
    size_t prvtkey_len;
    bool use_ecdsa_peripheral;
    uint8_t ecdsa_key_efuse_blk;
    httpd_ssl_transport_mode_t transport_mode;
    uint16_t port_secure;
    uint16_t port_insecure;
    bool session_tickets;
    bool use_secure_element;
    esp_https_server_user_cb *user_cb;
    void *ssl_userdata;
    esp_tls_handshake_callback cert_select_cb;
    const char **alpn_protos;
};

typedef struct httpd_ssl_config httpd_ssl_config_t;

/* v5.4's defaults: 4 sockets, LRU purge on, a 10240-byte stack, the control port one above plain HTTP's. */
#define HTTPD_SSL_CONFIG_DEFAULT() {              \
    .httpd = {                                    \
        .task_priority      = tskIDLE_PRIORITY+5, \
        .stack_size         = 10240,              \
        .core_id            = tskNO_AFFINITY,     \
        .task_caps          = (MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT), \
        .server_port        = 0,                  \
        .ctrl_port          = ESP_HTTPD_DEF_CTRL_PORT+1, \
        .max_open_sockets   = 4,                  \
        .max_uri_handlers   = 8,                  \
        .max_resp_headers   = 8,                  \
        .backlog_conn       = 5,                  \
        .lru_purge_enable   = true,               \
        .recv_wait_timeout  = 5,                  \
        .send_wait_timeout  = 5,                  \
        .global_user_ctx = NULL,                  \
        .global_user_ctx_free_fn = NULL,          \
        .global_transport_ctx = NULL,             \
        .global_transport_ctx_free_fn = NULL,     \
        .enable_so_linger = false,                \
        .linger_timeout = 0,                      \
        .keep_alive_enable = false,               \
        .keep_alive_idle = 0,                     \
        .keep_alive_interval = 0,                 \
        .keep_alive_count = 0,                    \
        .open_fn = NULL,                          \
        .close_fn = NULL,                         \
        .uri_match_fn = NULL                      \
    },                                            \
    .servercert = NULL,                           \
    .servercert_len = 0,                          \
    .cacert_pem = NULL,                           \
    .cacert_len = 0,                              \
    .prvtkey_pem = NULL,                          \
    .prvtkey_len = 0,                             \
    .use_ecdsa_peripheral = false,                \
    .ecdsa_key_efuse_blk = 0,                     \
    .transport_mode = HTTPD_SSL_TRANSPORT_SECURE, \
    .port_secure = 443,                           \
    .port_insecure = 80,                          \
    .session_tickets = false,                     \
    .use_secure_element = false,                  \
    .user_cb = NULL,                              \
    .ssl_userdata = NULL,                         \
    .cert_select_cb = NULL,                       \
    .alpn_protos = NULL,                          \
}

/* Starts the server: TLS on port_secure, or plain HTTP on port_insecure (transport_mode).  `config` is written
 * (its httpd part gets the port, open_fn and the global transport context) and need not outlive the call. */
esp_err_t httpd_ssl_start(httpd_handle_t *handle, httpd_ssl_config_t *config);
esp_err_t httpd_ssl_stop(httpd_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif
