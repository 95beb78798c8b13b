/* Private to httpd_*.c: the server and session structures of the host's esp_http_server. */
#ifndef ESP_IDF_HOST_HTTPD_SERVER_H
#define ESP_IDF_HOST_HTTPD_SERVER_H

#include "http/http.h"

#include "esp_http_server.h"

#define HTTPD_BUFFER_SIZE (HTTPD_MAX_REQ_HDR_LEN + 2048)
#define HTTPD_MAX_HEADERS_OUT 16

typedef struct httpd_server {
    httpd_config_t config;
    int listener;
    httpd_uri_t *handlers;          /* config.max_uri_handlers slots; uri strings owned */
    int handler_count;
    pthread_mutex_t lock;           /* handlers, sessions, refs */
    pthread_mutex_t handler_lock;   /* handlers run one at a time, like ESP-IDF's single server task */
    pthread_cond_t accept_done;
    bool accept_running;
    volatile int stopping;
    int sessions;
    int refs;
    struct httpd_server *next;
} httpd_server_t;

typedef struct httpd_session {
    httpd_server_t *server;
    int fd;
    char buffer[HTTPD_BUFFER_SIZE + 1];
    size_t length;                  /* bytes in buffer */
    size_t position;                /* first unread byte (after the request head) */
    size_t head_length;             /* the request head, NUL-terminated in place of its final CRLF CRLF */
    size_t content_remaining;
    bool close_after;
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
/* httpd_server.c */
void httpd_server_release(httpd_server_t *server);
/* Finds the handler for (uri path, method): 0 found, 404 no such uri, 405 uri but not this method. */
int httpd_server_find(httpd_server_t *server, const char *uri, size_t path_length, int method, httpd_uri_t *out);

#endif
