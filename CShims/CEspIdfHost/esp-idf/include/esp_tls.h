/*
 * esp_tls.h on the host: the server side of ESP-IDF v5.4's esp-tls (components/esp-tls/esp_tls.h), which
 * esp_https_server is built on, over Debian's mbedTLS (libmbedtls-dev, 2.28; ESP-IDF v5.4 bundles 3.6).
 * Its code is not in the uart-tunnel executable: idf-host/components/esp-tls/esp_tls_server.c is compiled into
 * the firmware, which links mbedTLS (a project that requires esp-tls or esp_https_server, or a --driver file that
 * includes this header or esp_https_server.h).
 *
 * Provided: a server session on an accepted lwIP socket (esp_tls_server_session_create/_delete), read, write,
 * bytes available, the socket and state, the mbedTLS context (esp_tls_get_ssl_context) and the last error.
 * Not provided: client connections (esp_tls_conn_new_*, esp_tls_cfg_t, the global CA store), secure element,
 * ECDSA peripheral, session tickets (esp_tls_cfg_server_session_tickets_init answers ESP_ERR_NOT_SUPPORTED, as
 * v5.4 does with CONFIG_ESP_TLS_SERVER_SESSION_TICKETS off).
 */
#ifndef ESP_IDF_HOST_ESP_TLS_H
#define ESP_IDF_HOST_ESP_TLS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "esp_err.h"
#include "esp_tls_errors.h"
#include "sdkconfig.h"

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum esp_tls_conn_state {
    ESP_TLS_INIT = 0,
    ESP_TLS_CONNECTING,
    ESP_TLS_HANDSHAKE,
    ESP_TLS_FAIL,
    ESP_TLS_DONE,
} esp_tls_conn_state_t;

typedef enum esp_tls_role {
    ESP_TLS_CLIENT = 0,
    ESP_TLS_SERVER,
} esp_tls_role_t;

/* v5.4 keeps this type without CONFIG_ESP_TLS_SERVER_CERT_SELECT_HOOK (which the host does not have). */
typedef void *esp_tls_handshake_callback;

/* v5.4's server configuration; PEM buffers are NUL-terminated and their lengths count the NUL. */
typedef struct esp_tls_cfg_server {
    const char **alpn_protos;
    union {
        const unsigned char *cacert_buf;        /* CA that signs client certificates: they are then required */
        const unsigned char *cacert_pem_buf;
    };
    union {
        unsigned int cacert_bytes;
        unsigned int cacert_pem_bytes;
    };
    union {
        const unsigned char *servercert_buf;
        const unsigned char *servercert_pem_buf;
    };
    union {
        unsigned int servercert_bytes;
        unsigned int servercert_pem_bytes;
    };
    union {
        const unsigned char *serverkey_buf;
        const unsigned char *serverkey_pem_buf;
    };
    union {
        unsigned int serverkey_bytes;
        unsigned int serverkey_pem_bytes;
    };
    const unsigned char *serverkey_password;
    unsigned int serverkey_password_len;
    bool use_ecdsa_peripheral;
    uint8_t ecdsa_key_efuse_blk;
    bool use_secure_element;
    void *userdata;
} esp_tls_cfg_server_t;

typedef struct esp_tls esp_tls_t;

esp_err_t esp_tls_cfg_server_session_tickets_init(esp_tls_cfg_server_t *cfg);
void esp_tls_cfg_server_session_tickets_free(esp_tls_cfg_server_t *cfg);

esp_tls_t *esp_tls_init(void);
/* Handshakes on the accepted socket (blocking, bounded by its SO_RCVTIMEO): 0, or the mbedTLS error (negative). */
int esp_tls_server_session_create(esp_tls_cfg_server_t *cfg, int sockfd, esp_tls_t *tls);
/* Frees the session and tls itself; the socket stays open (its owner closes it). */
void esp_tls_server_session_delete(esp_tls_t *tls);

ssize_t esp_tls_conn_write(esp_tls_t *tls, const void *data, size_t datalen);
/* Bytes read, 0 when the peer closed (close_notify), or a negative mbedTLS error. */
ssize_t esp_tls_conn_read(esp_tls_t *tls, void *data, size_t datalen);
/* Decrypted bytes mbedTLS holds that a read returns without touching the socket. */
ssize_t esp_tls_get_bytes_avail(esp_tls_t *tls);
esp_err_t esp_tls_get_conn_sockfd(esp_tls_t *tls, int *sockfd);
esp_err_t esp_tls_set_conn_sockfd(esp_tls_t *tls, int sockfd);
esp_err_t esp_tls_get_conn_state(esp_tls_t *tls, esp_tls_conn_state_t *conn_state);
esp_err_t esp_tls_set_conn_state(esp_tls_t *tls, esp_tls_conn_state_t conn_state);
/* The connection's mbedtls_ssl_context. */
void *esp_tls_get_ssl_context(esp_tls_t *tls);

esp_err_t esp_tls_get_and_clear_last_error(esp_tls_error_handle_t h, int *esp_tls_code, int *esp_tls_flags);
esp_err_t esp_tls_get_and_clear_error_type(esp_tls_error_handle_t h, esp_tls_error_type_t err_type, int *error_code);
esp_err_t esp_tls_get_error_handle(esp_tls_t *tls, esp_tls_error_handle_t *error_handle);

#ifdef __cplusplus
}
#endif

#endif
