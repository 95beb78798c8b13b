/* Private to httpd_*.c: the server and session structures of the host's esp_http_server. */
#ifndef ESP_IDF_HOST_HTTPD_SERVER_H
#define ESP_IDF_HOST_HTTPD_SERVER_H

#include "http/http.h"

#include "esp_http_server.h"

#define HTTPD_MAX_HEADERS_OUT 16
/* Room after a request head for a pipelined request or the start of a body. */
#define HTTPD_BUFFER_SPARE 2048

struct httpd_session;

typedef struct httpd_server {
    httpd_config_t config;
    /* The firmware's CONFIG_HTTPD_MAX_REQ_HDR_LEN and CONFIG_HTTPD_MAX_URI_LEN (httpd_start passes them). */
    size_t max_req_hdr_len;
    size_t max_uri_len;
    int listener;
    httpd_uri_t *handlers;          /* config.max_uri_handlers slots; uri strings owned */
    int handler_count;
    httpd_err_handler_func_t err_handlers[HTTPD_ERR_CODE_MAX];
    pthread_mutex_t lock;           /* handlers, sessions, refs */
    pthread_mutex_t handler_lock;   /* handlers run one at a time, like ESP-IDF's single server task */
    pthread_cond_t accept_done;
    pthread_cond_t session_ended;   /* a session left: room for a waiting connection */
    bool accept_running;
    volatile int stopping;
    int sessions;
    struct httpd_session *open_sessions;    /* for lru_purge_enable */
    uint64_t activity;                      /* counts session activity, ESP-IDF's lru_counter */
    int refs;
    struct httpd_server *next;
} httpd_server_t;

typedef struct httpd_session {
    httpd_server_t *server;
    int fd;
    char *buffer;                   /* head limit + HTTPD_BUFFER_SPARE + 1 bytes */
    size_t buffer_size;             /* without the NUL's byte */
    size_t length;                  /* bytes in buffer */
    size_t position;                /* first unread byte (after the request head) */
    size_t head_length;             /* the request head, NUL-terminated in place of its final CRLF CRLF */
    size_t content_remaining;
    bool close_after;
    uint64_t last_activity;         /* server->activity when this session last received or sent */
    volatile int purged;            /* closed by lru_purge_enable for a newcomer */
    struct httpd_session *next_open;
    /* transport and contexts (httpd_transport.c), as v5.4's struct sock_db */
    httpd_send_func_t send_fn;
    httpd_recv_func_t recv_fn;
    httpd_pending_func_t pending_fn;
    void *transport_ctx;
    httpd_free_ctx_fn_t free_transport_ctx;
    void *ctx;
    httpd_free_ctx_fn_t free_ctx;
    bool ignore_sess_ctx_changes;
    httpd_req_t *current;           /* the request whose handler runs: httpd_sess_*_ctx work on its sess_ctx */
    /* response */
    const char *status;
    const char *type;
    const char *header_fields[HTTPD_MAX_HEADERS_OUT];
    const char *header_values[HTTPD_MAX_HEADERS_OUT];
    int header_count;
    bool head_sent;
    bool chunked;
} httpd_session_t;

/* httpd_session.c */
void httpd_session_start(httpd_server_t *server, int fd);
/* httpd_transport.c */
/* The open session on `fd`, or NULL. */
httpd_session_t *httpd_session_find(httpd_server_t *server, int fd);
/* httpd_sess_clear_ctx: frees the session's user and transport contexts with their free functions. */
void httpd_session_clear_ctx(httpd_session_t *s);
/* httpd_req_new / httpd_req_cleanup: the request carries the session context while it is handled; the session
 * takes back what the handler left there (freeing a replaced one unless ignore_sess_ctx_changes). */
void httpd_session_begin_request(httpd_session_t *s, httpd_req_t *req);
void httpd_session_end_request(httpd_session_t *s, httpd_req_t *req);
/* httpd_server.c */
void httpd_server_release(httpd_server_t *server);
/* Finds the handler for (uri path, method): 0 found, 404 no such uri, 405 uri but not this method. */
int httpd_server_find(httpd_server_t *server, const char *uri, size_t path_length, int method, httpd_uri_t *out);
/* The longest request head a session buffers: ESP-IDF's scratch buffer, max(header limit, URI limit). */
size_t httpd_server_head_limit(const httpd_server_t *server);

#endif
