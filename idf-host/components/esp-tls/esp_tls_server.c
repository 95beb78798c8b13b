/*
 * esp-tls's server side on the host, over Debian's mbedTLS (2.28), compiled into the firmware (see esp_tls.h).
 * What each function does follows ESP-IDF v5.4's components/esp-tls: esp_tls.c (esp_tls_init, the accessors),
 * esp_tls_mbedtls.c (esp_create_mbedtls_handle, set_server_config, set_ca_cert, set_pki_context,
 * esp_mbedtls_server_session_create, esp_mbedtls_read/_write, esp_mbedtls_get_bytes_avail, esp_mbedtls_cleanup,
 * esp_mbedtls_server_session_delete) and esp_tls_error_capture.c (the last-error record).  Log lines carry v5.4's
 * tag, "esp-tls-mbedtls".
 *
 * The socket is an lwIP socket behind a firmware descriptor (960…1023, the httpd's sockfd), so the mbedTLS I/O
 * callbacks call send/recv, which the firmware's link routes to lwIP (src/netif/socket_wraps.c), where ESP-IDF
 * installs mbedtls_net_send/_recv (which reach lwIP through its VFS); their error mapping is mbedTLS's for a blocking
 * socket (library/net_sockets.c): a receive timeout (SO_RCVTIMEO, the httpd's recv_wait_timeout) is
 * MBEDTLS_ERR_NET_RECV_FAILED, so a silent client fails the handshake instead of holding it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/sockets.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>

#include "esp_log.h"
#include "esp_tls.h"

static const char *TAG = "esp-tls-mbedtls";

struct esp_tls {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context ctr_drbg;
    mbedtls_x509_crt cacert;
    mbedtls_x509_crt servercert;
    mbedtls_pk_context serverkey;
    int sockfd;
    esp_tls_role_t role;
    esp_tls_conn_state_t conn_state;
    bool contexts_ready;            /* the mbedTLS contexts are initialised (cleanup frees them) */
    esp_tls_last_error_t last_error;
};

/* esp_tls_internal_event_tracker_capture: remember an error by its kind. */
static void capture(esp_tls_t *tls, esp_tls_error_type_t type, int code)
{
    if (type == ESP_TLS_ERR_TYPE_ESP) {
        tls->last_error.last_error = code;
    } else if (type == ESP_TLS_ERR_TYPE_MBEDTLS) {
        tls->last_error.esp_tls_error_code = code;
    } else if (type == ESP_TLS_ERR_TYPE_MBEDTLS_CERT_FLAGS) {
        tls->last_error.esp_tls_flags = code;
    }
}

/* mbedtls_print_error_msg: mbedTLS's own words for an error code. */
static void log_mbedtls_error(int ret)
{
    char text[128];
    mbedtls_strerror(ret, text, sizeof text);
    ESP_LOGE(TAG, "(%d): %s", ret, text);
}

/* A socket call's result as mbedtls_net_send/_recv give it for a blocking socket: `interrupted` on EINTR. */
static int bio_result(int n, int interrupted, int failed)
{
    if (n >= 0) {
        return n;
    }
    if (errno == EPIPE || errno == ECONNRESET) {
        return MBEDTLS_ERR_NET_CONN_RESET;
    }
    return errno == EINTR ? interrupted : failed;
}

static int lwip_bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    return bio_result(send(*(int *)ctx, buf, len, 0), MBEDTLS_ERR_SSL_WANT_WRITE, MBEDTLS_ERR_NET_SEND_FAILED);
}

static int lwip_bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    return bio_result(recv(*(int *)ctx, buf, len, 0), MBEDTLS_ERR_SSL_WANT_READ, MBEDTLS_ERR_NET_RECV_FAILED);
}

esp_tls_t *esp_tls_init(void)
{
    esp_tls_t *tls = calloc(1, sizeof *tls);
    if (tls != NULL) {
        tls->sockfd = -1;
    }
    return tls;
}

static void cleanup(esp_tls_t *tls)
{
    if (!tls->contexts_ready) {
        return;
    }
    mbedtls_x509_crt_free(&tls->cacert);
    mbedtls_x509_crt_free(&tls->servercert);
    mbedtls_pk_free(&tls->serverkey);
    mbedtls_entropy_free(&tls->entropy);
    mbedtls_ssl_config_free(&tls->conf);
    mbedtls_ctr_drbg_free(&tls->ctr_drbg);
    mbedtls_ssl_free(&tls->ssl);
    tls->contexts_ready = false;
}

/* set_ca_cert: client certificates become required, checked against this CA. */
static esp_err_t set_ca_cert(esp_tls_t *tls, const unsigned char *cacert, size_t length)
{
    int ret = mbedtls_x509_crt_parse(&tls->cacert, cacert, length);
    if (ret < 0) {
        ESP_LOGE(TAG, "mbedtls_x509_crt_parse of CA cert returned -0x%04X", -ret);
        log_mbedtls_error(ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_X509_CRT_PARSE_FAILED;
    }
    if (ret > 0) {
        ESP_LOGW(TAG, "mbedtls_x509_crt_parse was partly successful. No. of failed certificates: %d", ret);
    }
    mbedtls_ssl_conf_authmode(&tls->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&tls->conf, &tls->cacert, NULL);
    return ESP_OK;
}

/* set_pki_context: the server's certificate and private key. */
static esp_err_t set_own_cert(esp_tls_t *tls, const esp_tls_cfg_server_t *cfg)
{
    int ret = mbedtls_x509_crt_parse(&tls->servercert, cfg->servercert_buf, cfg->servercert_bytes);
    if (ret < 0) {
        ESP_LOGE(TAG, "mbedtls_x509_crt_parse of public cert returned -0x%04X", -ret);
        log_mbedtls_error(ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_X509_CRT_PARSE_FAILED;
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    ret = mbedtls_pk_parse_key(&tls->serverkey, cfg->serverkey_buf, cfg->serverkey_bytes, cfg->serverkey_password,
                               cfg->serverkey_password_len, mbedtls_ctr_drbg_random, &tls->ctr_drbg);
#else
    ret = mbedtls_pk_parse_key(&tls->serverkey, cfg->serverkey_buf, cfg->serverkey_bytes, cfg->serverkey_password,
                               cfg->serverkey_password_len);
#endif
    if (ret < 0) {
        ESP_LOGE(TAG, "mbedtls_pk_parse_keyfile returned -0x%04X", -ret);
        log_mbedtls_error(ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_PK_PARSE_KEY_FAILED;
    }
    ret = mbedtls_ssl_conf_own_cert(&tls->conf, &tls->servercert, &tls->serverkey);
    if (ret < 0) {
        ESP_LOGE(TAG, "mbedtls_ssl_conf_own_cert returned -0x%04X", -ret);
        log_mbedtls_error(ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_SSL_CONF_OWN_CERT_FAILED;
    }
    return ESP_OK;
}

/* set_server_config: defaults for a TLS server, ALPN, client verification, the own certificate. */
static esp_err_t set_server_config(esp_tls_t *tls, const esp_tls_cfg_server_t *cfg)
{
    int ret = mbedtls_ssl_config_defaults(&tls->conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        ESP_LOGE(TAG, "mbedtls_ssl_config_defaults returned -0x%04X", -ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_SSL_CONFIG_DEFAULTS_FAILED;
    }
    /* cfg->userdata: mbedTLS 2.28 has no user data on a configuration (3.x's mbedtls_ssl_conf_set_user_data_p) */
#ifdef MBEDTLS_SSL_ALPN
    if (cfg->alpn_protos != NULL) {
        mbedtls_ssl_conf_alpn_protocols(&tls->conf, cfg->alpn_protos);
    }
#endif
    if (cfg->cacert_buf != NULL) {
        esp_err_t err = set_ca_cert(tls, cfg->cacert_buf, cfg->cacert_bytes);
        if (err != ESP_OK) {
            return err;
        }
    } else {
#ifdef CONFIG_ESP_TLS_SERVER_MIN_AUTH_MODE_OPTIONAL
        mbedtls_ssl_conf_authmode(&tls->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
#else
        mbedtls_ssl_conf_authmode(&tls->conf, MBEDTLS_SSL_VERIFY_NONE);
#endif
    }
    if (cfg->use_secure_element || cfg->use_ecdsa_peripheral) {
        ESP_LOGE(TAG, "the host has no secure element or ECDSA peripheral: supply the key as PEM");
        return ESP_FAIL;
    }
    if (cfg->servercert_buf == NULL || cfg->serverkey_buf == NULL) {
        ESP_LOGE(TAG, "Missing server certificate and/or key");
        return ESP_ERR_INVALID_STATE;
    }
    return set_own_cert(tls, cfg);
}

/* esp_create_mbedtls_handle for the server role. */
static esp_err_t create_handle(esp_tls_t *tls, const esp_tls_cfg_server_t *cfg)
{
    mbedtls_ssl_init(&tls->ssl);
    mbedtls_ctr_drbg_init(&tls->ctr_drbg);
    mbedtls_ssl_config_init(&tls->conf);
    mbedtls_entropy_init(&tls->entropy);
    mbedtls_x509_crt_init(&tls->cacert);
    mbedtls_x509_crt_init(&tls->servercert);
    mbedtls_pk_init(&tls->serverkey);
    tls->contexts_ready = true;
    int ret = mbedtls_ctr_drbg_seed(&tls->ctr_drbg, mbedtls_entropy_func, &tls->entropy, NULL, 0);
    if (ret != 0) {
        ESP_LOGE(TAG, "mbedtls_ctr_drbg_seed returned -0x%04X", -ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_CTR_DRBG_SEED_FAILED;
    }
    mbedtls_ssl_conf_rng(&tls->conf, mbedtls_ctr_drbg_random, &tls->ctr_drbg);
    esp_err_t err = set_server_config(tls, cfg);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "Failed to set server configurations, returned [0x%04X] (%s)", err, esp_err_to_name(err));
        return err;
    }
    ret = mbedtls_ssl_setup(&tls->ssl, &tls->conf);
    if (ret != 0) {
        ESP_LOGE(TAG, "mbedtls_ssl_setup returned -0x%04X", -ret);
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        return ESP_ERR_MBEDTLS_SSL_SETUP_FAILED;
    }
    mbedtls_ssl_set_bio(&tls->ssl, &tls->sockfd, lwip_bio_send, lwip_bio_recv, NULL);
    return ESP_OK;
}

int esp_tls_server_session_create(esp_tls_cfg_server_t *cfg, int sockfd, esp_tls_t *tls)
{
    if (tls == NULL || cfg == NULL) {
        return -1;
    }
    tls->role = ESP_TLS_SERVER;
    tls->sockfd = sockfd;
    esp_err_t err = create_handle(tls, cfg);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "create_ssl_handle failed, returned [0x%04X] (%s)", err, esp_err_to_name(err));
        capture(tls, ESP_TLS_ERR_TYPE_ESP, err);
        tls->conn_state = ESP_TLS_FAIL;
        cleanup(tls);
        return -1;
    }
    tls->conn_state = ESP_TLS_HANDSHAKE;
    /* WANT_READ/WANT_WRITE only come from an interrupted call (EINTR): retry, as v5.4 does; a bounded number of
     * times here, since every other outcome ends the loop. */
    int ret;
    for (int attempts = 0; (ret = mbedtls_ssl_handshake(&tls->ssl)) != 0; attempts++) {
        if ((ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) || attempts >= 1000) {
            ESP_LOGE(TAG, "mbedtls_ssl_handshake returned -0x%04X", -ret);
            log_mbedtls_error(ret);
            capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
            capture(tls, ESP_TLS_ERR_TYPE_ESP, ESP_ERR_MBEDTLS_SSL_HANDSHAKE_FAILED);
            tls->conn_state = ESP_TLS_FAIL;
            return ret;
        }
    }
    tls->conn_state = ESP_TLS_DONE;
    return 0;
}

void esp_tls_server_session_delete(esp_tls_t *tls)
{
    if (tls != NULL) {
        cleanup(tls);
        free(tls);
    }
}

ssize_t esp_tls_conn_read(esp_tls_t *tls, void *data, size_t datalen)
{
    if (tls == NULL || !tls->contexts_ready) {
        return -1;
    }
    int ret = mbedtls_ssl_read(&tls->ssl, data, datalen);
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
        return 0;
    }
    if (ret < 0 && ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
        capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
        ESP_LOGE(TAG, "read error :-0x%04X:", -ret);
        log_mbedtls_error(ret);
    }
    return ret;
}

/* esp_mbedtls_write: in records of at most MBEDTLS_SSL_OUT_CONTENT_LEN; a partial write returns what went out. */
ssize_t esp_tls_conn_write(esp_tls_t *tls, const void *data, size_t datalen)
{
    if (tls == NULL || !tls->contexts_ready) {
        return -1;
    }
    const unsigned char *bytes = data;
    size_t written = 0;
    while (written < datalen) {
        size_t chunk = datalen - written;
        if (chunk > MBEDTLS_SSL_OUT_CONTENT_LEN) {
            chunk = MBEDTLS_SSL_OUT_CONTENT_LEN;
        }
        int ret = mbedtls_ssl_write(&tls->ssl, bytes + written, chunk);
        if (ret <= 0) {
            if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE && ret != 0) {
                capture(tls, ESP_TLS_ERR_TYPE_MBEDTLS, -ret);
                capture(tls, ESP_TLS_ERR_TYPE_ESP, ESP_ERR_MBEDTLS_SSL_WRITE_FAILED);
                ESP_LOGE(TAG, "write error :-0x%04X:", -ret);
                log_mbedtls_error(ret);
                return ret;
            }
            return written > 0 ? (ssize_t)written : ret;
        }
        written += (size_t)ret;
    }
    return (ssize_t)written;
}

ssize_t esp_tls_get_bytes_avail(esp_tls_t *tls)
{
    if (tls == NULL || !tls->contexts_ready) {
        ESP_LOGE(TAG, "empty arg passed to esp_tls_get_bytes_avail()");
        return ESP_FAIL;
    }
    return (ssize_t)mbedtls_ssl_get_bytes_avail(&tls->ssl);
}

esp_err_t esp_tls_get_conn_sockfd(esp_tls_t *tls, int *sockfd)
{
    if (tls == NULL || sockfd == NULL) {
        ESP_LOGE("esp-tls", "Invalid arguments passed");
        return ESP_ERR_INVALID_ARG;
    }
    *sockfd = tls->sockfd;
    return ESP_OK;
}

esp_err_t esp_tls_set_conn_sockfd(esp_tls_t *tls, int sockfd)
{
    if (tls == NULL || sockfd < 0) {
        ESP_LOGE("esp-tls", "Invalid arguments passed");
        return ESP_ERR_INVALID_ARG;
    }
    tls->sockfd = sockfd;
    return ESP_OK;
}

esp_err_t esp_tls_get_conn_state(esp_tls_t *tls, esp_tls_conn_state_t *conn_state)
{
    if (tls == NULL || conn_state == NULL) {
        ESP_LOGE("esp-tls", "Invalid arguments passed");
        return ESP_ERR_INVALID_ARG;
    }
    *conn_state = tls->conn_state;
    return ESP_OK;
}

esp_err_t esp_tls_set_conn_state(esp_tls_t *tls, esp_tls_conn_state_t conn_state)
{
    if (tls == NULL || conn_state < ESP_TLS_INIT || conn_state > ESP_TLS_DONE) {
        ESP_LOGE("esp-tls", "Invalid arguments passed");
        return ESP_ERR_INVALID_ARG;
    }
    tls->conn_state = conn_state;
    return ESP_OK;
}

void *esp_tls_get_ssl_context(esp_tls_t *tls)
{
    if (tls == NULL) {
        ESP_LOGE("esp-tls", "Invalid arguments passed");
        return NULL;
    }
    return &tls->ssl;
}

esp_err_t esp_tls_get_error_handle(esp_tls_t *tls, esp_tls_error_handle_t *error_handle)
{
    if (tls == NULL || error_handle == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *error_handle = &tls->last_error;
    return ESP_OK;
}

esp_err_t esp_tls_get_and_clear_last_error(esp_tls_error_handle_t h, int *esp_tls_code, int *esp_tls_flags)
{
    if (h == NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    esp_err_t last = h->last_error;
    if (esp_tls_code != NULL) {
        *esp_tls_code = h->esp_tls_error_code;
    }
    if (esp_tls_flags != NULL) {
        *esp_tls_flags = h->esp_tls_flags;
    }
    memset(h, 0, sizeof *h);
    return last;
}

esp_err_t esp_tls_get_and_clear_error_type(esp_tls_error_handle_t h, esp_tls_error_type_t err_type, int *error_code)
{
    if (h == NULL || error_code == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (err_type == ESP_TLS_ERR_TYPE_ESP) {
        *error_code = h->last_error;
        h->last_error = 0;
    } else if (err_type == ESP_TLS_ERR_TYPE_MBEDTLS) {
        *error_code = h->esp_tls_error_code;
        h->esp_tls_error_code = 0;
    } else if (err_type == ESP_TLS_ERR_TYPE_MBEDTLS_CERT_FLAGS) {
        *error_code = h->esp_tls_flags;
        h->esp_tls_flags = 0;
    } else if (err_type == ESP_TLS_ERR_TYPE_SYSTEM) {
        *error_code = 0;    /* socket errors are not recorded on the host */
    } else {
        return ESP_ERR_INVALID_ARG;
    }
    return ESP_OK;
}

/* Off in v5.4's default configuration (CONFIG_ESP_TLS_SERVER_SESSION_TICKETS): not supported. */
esp_err_t esp_tls_cfg_server_session_tickets_init(esp_tls_cfg_server_t *cfg)
{
    (void)cfg;
    return ESP_ERR_NOT_SUPPORTED;
}

void esp_tls_cfg_server_session_tickets_free(esp_tls_cfg_server_t *cfg)
{
    (void)cfg;
}
