/*
 * One HTTP connection of the host's esp_http_server: read a request head, find
 * the handler, run it (one handler at a time per server), discard any body it
 * did not read, and go on with the next request on the same connection
 * (HTTP/1.1 keep-alive) until the client closes, is idle for recv_wait_timeout,
 * or the server stops.  The request/response functions below work on the
 * session behind req->aux.  Bytes go through the session's send and receive
 * functions (httpd_transport.c), which esp_https_server replaces with TLS.
 */
#include "httpd_server.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/sockets.h>

#include "esp_log.h"

#define RECV_SLICE_MS 200

static const char *TAG = "httpd";

static const struct {
    const char *name;
    int method;
} s_methods[] = {
    { "GET", HTTP_GET }, { "POST", HTTP_POST }, { "PUT", HTTP_PUT }, { "DELETE", HTTP_DELETE },
    { "HEAD", HTTP_HEAD }, { "OPTIONS", HTTP_OPTIONS }, { "PATCH", HTTP_PATCH }, { "CONNECT", HTTP_CONNECT },
    { "TRACE", HTTP_TRACE },
};

/* ESP-IDF's lru_counter: each receive and send makes the session the most recently used. */
static void note_activity(httpd_session_t *s)
{
    pthread_mutex_lock(&s->server->lock);
    s->last_activity = ++s->server->activity;
    pthread_mutex_unlock(&s->server->lock);
}

/* The size of an httpd_req_t whose uri holds the firmware's CONFIG_HTTPD_MAX_URI_LEN (uri is its last field). */
static size_t request_size(const httpd_server_t *server)
{
    return offsetof(httpd_req_t, uri) + server->max_uri_len + 1;
}

/* Waits until the socket is readable or the session's pending function reports bytes it holds (v5.4's server
 * loop: select, then httpd_sess_pending), in slices so a stopping server is noticed, then calls the session's
 * receive function once (httpd_recv_with_opt).  Returns bytes, 0 at end of stream, HTTPD_SOCK_ERR_TIMEOUT after
 * timeout_ms without data, or the receive function's error (read_block: anything but a timeout ends the session). */
static int session_recv(httpd_session_t *s, void *dst, size_t size, int timeout_ms)
{
    for (int waited = 0;; waited += RECV_SLICE_MS) {
        if (s->server->stopping || s->purged) {
            return HTTPD_SOCK_ERR_FAIL;
        }
        bool ready = s->pending_fn != NULL && s->pending_fn(s->server, s->fd) > 0;
        if (!ready) {
            struct pollfd readable = { .fd = s->fd, .events = POLLIN };
            int polled = host_sock_poll(&readable, 1, RECV_SLICE_MS, poll);
            if (polled < 0) {
                return HTTPD_SOCK_ERR_FAIL;
            }
            ready = polled > 0;
        }
        if (ready) {
            int n = s->recv_fn(s->server, s->fd, dst, size, 0);
            if (n > 0) {
                note_activity(s);
            }
            return n;
        }
        if (waited + RECV_SLICE_MS >= timeout_ms) {
            return HTTPD_SOCK_ERR_TIMEOUT;
        }
    }
}

/* httpd_send_all: the session's send function until every byte is out; an error (or no progress) fails. */
static bool send_all(httpd_session_t *s, const void *data, size_t length)
{
    const char *bytes = data;
    note_activity(s);
    while (length > 0) {
        int n = s->send_fn(s->server, s->fd, bytes, length, 0);
        if (n <= 0) {
            return false;
        }
        bytes += n;
        length -= (size_t)n;
    }
    return true;
}

static const char *find_head_end(const char *bytes, size_t length)
{
    for (size_t i = 0; i + 3 < length; i++) {
        if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
            return bytes + i;
        }
    }
    return NULL;
}

/* The value of header `field` in the request head, or NULL; *length gets its length. */
static const char *header_value(const httpd_session_t *s, const char *field, size_t *length)
{
    const size_t field_length = strlen(field);
    const char *line = strstr(s->buffer, "\r\n");
    while (line != NULL && line < s->buffer + s->head_length) {
        line += 2;
        const char *end = strstr(line, "\r\n");
        if (end == NULL) {
            end = s->buffer + s->head_length;
        }
        if ((size_t)(end - line) > field_length && line[field_length] == ':' &&
            strncasecmp(line, field, field_length) == 0) {
            const char *value = line + field_length + 1;
            while (value < end && (*value == ' ' || *value == '\t')) {
                value++;
            }
            const char *value_end = end;
            while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t')) {
                value_end--;
            }
            *length = (size_t)(value_end - value);
            return value;
        }
        line = end;
    }
    return NULL;
}

static void reset_response(httpd_session_t *s)
{
    s->status = HTTPD_200;
    s->type = HTTPD_TYPE_TEXT;
    s->header_count = 0;
    s->head_sent = false;
    s->chunked = false;
}

/* httpd_req_handle_err: the firmware's handler for `code` if it registered one, else the error page.  The
 * connection closes unless a handler answered a request that was read whole (req non-NULL: 404, 405) with
 * ESP_OK; a 500 always closes it. */
static void fail_request(httpd_session_t *s, httpd_req_t *req, httpd_err_code_t code)
{
    httpd_req_t *blank = NULL;
    if (req == NULL) {
        blank = calloc(1, request_size(s->server));
        if (blank == NULL) {
            s->close_after = true;
            return;
        }
        blank->handle = s->server;
        blank->aux = s;
        httpd_session_begin_request(s, blank);
    }
    reset_response(s);
    httpd_err_handler_func_t handler = s->server->err_handlers[code];
    esp_err_t result = ESP_FAIL;
    if (handler != NULL) {
        pthread_mutex_lock(&s->server->handler_lock);
        result = handler(req != NULL ? req : blank, code);
        pthread_mutex_unlock(&s->server->handler_lock);
    } else {
        httpd_resp_send_err(req != NULL ? req : blank, code, NULL);
    }
    if (result != ESP_OK || req == NULL || code == HTTPD_500_INTERNAL_SERVER_ERROR) {
        s->close_after = true;
    }
    if (blank != NULL) {
        httpd_session_end_request(s, blank);
    }
    free(blank);
}

/* Reads one request head into the buffer; false when the connection should end. */
static bool read_head(httpd_session_t *s)
{
    const char *end;
    while ((end = find_head_end(s->buffer, s->length)) == NULL) {
        if (s->length >= httpd_server_head_limit(s->server)) {
            /* parse_block: the scratch buffer filled while still in the request line (414) or in the headers */
            fail_request(s, NULL, strstr(s->buffer, "\r\n") == NULL ? HTTPD_414_URI_TOO_LONG
                                                                   : HTTPD_431_REQ_HDR_FIELDS_TOO_LARGE);
            return false;
        }
        int n = session_recv(s, s->buffer + s->length, s->buffer_size - s->length,
                             s->server->config.recv_wait_timeout * 1000);
        if (n == HTTPD_SOCK_ERR_TIMEOUT && s->length > 0) {
            fail_request(s, NULL, HTTPD_408_REQ_TIMEOUT);
        }
        if (n <= 0) {
            return false;
        }
        s->length += (size_t)n;
        s->buffer[s->length] = '\0';
    }
    if ((size_t)(end - s->buffer) + 4 > httpd_server_head_limit(s->server)) {
        /* ESP-IDF parses the head in a scratch buffer of that size: it fills in the request line or after it */
        const char *line_end = strstr(s->buffer, "\r\n");
        fail_request(s, NULL, (size_t)(line_end - s->buffer) + 2 > httpd_server_head_limit(s->server)
                                  ? HTTPD_414_URI_TOO_LONG : HTTPD_431_REQ_HDR_FIELDS_TOO_LARGE);
        return false;
    }
    s->head_length = (size_t)(end - s->buffer);
    s->buffer[s->head_length] = '\0';
    s->position = s->head_length + 4;
    return true;
}

static void discard_body(httpd_session_t *s)
{
    char sink[256];
    while (s->content_remaining > 0) {
        httpd_req_t req = { .handle = s->server, .aux = s };
        if (httpd_req_recv(&req, sink, sizeof sink) <= 0) {
            s->close_after = true;
            return;
        }
    }
}

/* Handles one request whose head is in the buffer. */
static void handle_request(httpd_session_t *s)
{
    reset_response(s);
    char method_name[16] = "", version[16] = "";
    const char *uri = strchr(s->buffer, ' ');
    const char *uri_end = uri != NULL ? strchr(uri + 1, ' ') : NULL;
    if (uri == NULL || uri_end == NULL || sscanf(s->buffer, "%15s", method_name) != 1 ||
        sscanf(uri_end + 1, "%15s", version) != 1 || strncmp(version, "HTTP/1.", 7) != 0) {
        fail_request(s, NULL, HTTPD_400_BAD_REQUEST);
        return;
    }
    uri++;
    const size_t uri_length = (size_t)(uri_end - uri);
    if (uri_length > s->server->max_uri_len) {
        fail_request(s, NULL, HTTPD_414_URI_TOO_LONG);
        return;
    }
    int method = -1;
    for (size_t i = 0; i < sizeof s_methods / sizeof s_methods[0]; i++) {
        if (strcmp(method_name, s_methods[i].name) == 0) {
            method = s_methods[i].method;
        }
    }
    if (method < 0) {
        fail_request(s, NULL, HTTPD_501_METHOD_NOT_IMPLEMENTED);
        return;
    }
    size_t value_length = 0;
    const char *value = header_value(s, "Content-Length", &value_length);
    s->content_remaining = value != NULL ? strtoul(value, NULL, 10) : 0;
    value = header_value(s, "Connection", &value_length);
    s->close_after = (value != NULL && value_length == 5 && strncasecmp(value, "close", 5) == 0) ||
                     strcmp(version, "HTTP/1.0") == 0;

    httpd_req_t *req = calloc(1, request_size(s->server));
    if (req == NULL) {
        fail_request(s, NULL, HTTPD_500_INTERNAL_SERVER_ERROR);
        return;
    }
    memcpy((char *)req->uri, uri, uri_length);
    const char *query = memchr(uri, '?', uri_length);
    const size_t path_length = query != NULL ? (size_t)(query - uri) : uri_length;
    req->handle = s->server;
    req->method = method;
    req->content_len = s->content_remaining;
    req->aux = s;
    httpd_session_begin_request(s, req);
    httpd_uri_t handler;
    int found = httpd_server_find(s->server, req->uri, path_length, method, &handler);
    if (found != 0) {
        host_log_line(ESP_LOG_WARN, TAG, "URI '%s' %s", req->uri,
                              found == 404 ? "not found" : "method not allowed");
        fail_request(s, req, found == 404 ? HTTPD_404_NOT_FOUND : HTTPD_405_METHOD_NOT_ALLOWED);
        httpd_session_end_request(s, req);
        free(req);
        if (!s->close_after) {
            discard_body(s);    /* a custom error handler answered and kept the connection */
        }
        return;
    }
    req->user_ctx = handler.user_ctx;
    pthread_mutex_lock(&s->server->handler_lock);
    esp_err_t result = handler.handler(req);
    pthread_mutex_unlock(&s->server->handler_lock);
    httpd_session_end_request(s, req);
    free(req);
    if (result != ESP_OK) {
        /* ESP-IDF closes the connection when a handler fails */
        s->close_after = true;
        return;
    }
    discard_body(s);
}

/* Takes `s` (NULL: nothing) off the server's open sessions; with server->lock. */
static void unlist_locked(httpd_server_t *server, httpd_session_t *s)
{
    for (httpd_session_t **at = &server->open_sessions; s != NULL && *at != NULL; at = &(*at)->next_open) {
        if (*at == s) {
            *at = s->next_open;
            return;
        }
    }
}

static void *session_main(void *arg)
{
    httpd_session_t *s = arg;
    httpd_server_t *server = s->server;
    /* httpd_accept_conn: the socket's timeouts from the config, before the session opens (a TLS handshake in
     * open_fn waits on them too) */
    struct timeval recv_timeout = { .tv_sec = server->config.recv_wait_timeout, .tv_usec = 0 };
    host_sock_setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &recv_timeout, sizeof recv_timeout);
    struct timeval send_timeout = { .tv_sec = server->config.send_wait_timeout, .tv_usec = 0 };
    host_sock_setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    /* httpd_sess_new: open_fn once the session exists with the default transport (so it may override it); when
     * it fails the session is deleted, close_fn included */
    if (server->config.open_fn != NULL && server->config.open_fn(server, s->fd) != ESP_OK) {
        host_log_line(ESP_LOG_ERROR, TAG, "httpd_accept_conn: session creation failed");
        s->close_after = true;
    }
    while (!s->close_after && read_head(s)) {
        handle_request(s);
        /* keep what follows this request (a pipelined next one) */
        size_t rest = s->length > s->position ? s->length - s->position : 0;
        memmove(s->buffer, s->buffer + s->position, rest);
        s->length = rest;
        s->buffer[rest] = '\0';
        s->position = 0;
        s->head_length = 0;
    }
    /* httpd_sess_delete: close_fn, the socket closed, then the session's contexts freed (a TLS session last).
     * Unlisted before the socket closes, so a connection that gets the same descriptor finds its own session. */
    if (server->config.close_fn != NULL) {
        server->config.close_fn(server, s->fd);
    }
    pthread_mutex_lock(&server->lock);
    unlist_locked(server, s);
    pthread_mutex_unlock(&server->lock);
    host_sock_close(s->fd);
    httpd_session_clear_ctx(s);
    pthread_mutex_lock(&server->lock);
    server->sessions--;
    pthread_cond_broadcast(&server->session_ended);
    pthread_mutex_unlock(&server->lock);
    free(s->buffer);
    free(s);
    httpd_server_release(server);
    return NULL;
}

void httpd_session_start(httpd_server_t *server, int fd)
{
    httpd_session_t *s = calloc(1, sizeof *s);
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    bool started = false;
    if (s != NULL) {
        s->server = server;
        s->fd = fd;
        s->send_fn = httpd_default_send;
        s->recv_fn = httpd_default_recv;
        s->buffer_size = httpd_server_head_limit(server) + HTTPD_BUFFER_SPARE;
        s->buffer = calloc(1, s->buffer_size + 1);
        pthread_mutex_lock(&server->lock);
        s->last_activity = ++server->activity;
        s->next_open = server->open_sessions;
        server->open_sessions = s;
        pthread_mutex_unlock(&server->lock);
        started = s->buffer != NULL && pthread_create(&thread, &attr, session_main, s) == 0;
    }
    pthread_attr_destroy(&attr);
    if (!started) {
        host_sock_close(fd);
        pthread_mutex_lock(&server->lock);
        unlist_locked(server, s);
        server->sessions--;
        pthread_cond_broadcast(&server->session_ended);
        pthread_mutex_unlock(&server->lock);
        if (s != NULL) {
            free(s->buffer);
        }
        free(s);
        httpd_server_release(server);
    }
}

/* MARK: - Request */

static httpd_session_t *session_of(httpd_req_t *r)
{
    return r != NULL ? r->aux : NULL;
}

int httpd_req_recv(httpd_req_t *r, char *buf, size_t buf_len)
{
    httpd_session_t *s = session_of(r);
    if (s == NULL || buf == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    size_t want = buf_len < s->content_remaining ? buf_len : s->content_remaining;
    if (want == 0) {
        return 0;
    }
    size_t buffered = s->length > s->position ? s->length - s->position : 0;
    if (buffered > 0) {
        size_t take = want < buffered ? want : buffered;
        memcpy(buf, s->buffer + s->position, take);
        s->position += take;
        s->content_remaining -= take;
        return (int)take;
    }
    int n = session_recv(s, buf, want, s->server->config.recv_wait_timeout * 1000);
    if (n == 0) {
        return HTTPD_SOCK_ERR_FAIL;
    }
    if (n > 0) {
        s->content_remaining -= (size_t)n;
    }
    return n;
}

size_t httpd_req_get_hdr_value_len(httpd_req_t *r, const char *field)
{
    httpd_session_t *s = session_of(r);
    size_t length = 0;
    return (s != NULL && field != NULL && header_value(s, field, &length) != NULL) ? length : 0;
}

static esp_err_t copy_out(const char *value, size_t length, char *out, size_t out_size)
{
    if (out == NULL || out_size == 0) {
        return ESP_ERR_INVALID_ARG;
    }
    size_t take = length < out_size - 1 ? length : out_size - 1;
    memcpy(out, value, take);
    out[take] = '\0';
    return take < length ? ESP_ERR_HTTPD_RESULT_TRUNC : ESP_OK;
}

esp_err_t httpd_req_get_hdr_value_str(httpd_req_t *r, const char *field, char *val, size_t val_size)
{
    httpd_session_t *s = session_of(r);
    size_t length = 0;
    const char *value = (s != NULL && field != NULL) ? header_value(s, field, &length) : NULL;
    return value != NULL ? copy_out(value, length, val, val_size) : ESP_ERR_NOT_FOUND;
}

size_t httpd_req_get_url_query_len(httpd_req_t *r)
{
    const char *query = r != NULL ? strchr(r->uri, '?') : NULL;
    return query != NULL ? strlen(query + 1) : 0;
}

esp_err_t httpd_req_get_url_query_str(httpd_req_t *r, char *buf, size_t buf_len)
{
    const char *query = r != NULL ? strchr(r->uri, '?') : NULL;
    return query != NULL ? copy_out(query + 1, strlen(query + 1), buf, buf_len) : ESP_ERR_NOT_FOUND;
}

esp_err_t httpd_query_key_value(const char *qry, const char *key, char *val, size_t val_size)
{
    if (qry == NULL || key == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    const size_t key_length = strlen(key);
    for (const char *pair = qry; pair != NULL && *pair != '\0';) {
        const char *end = strchr(pair, '&');
        const size_t pair_length = end != NULL ? (size_t)(end - pair) : strlen(pair);
        if (pair_length > key_length && pair[key_length] == '=' && strncmp(pair, key, key_length) == 0) {
            return copy_out(pair + key_length + 1, pair_length - key_length - 1, val, val_size);
        }
        pair = end != NULL ? end + 1 : NULL;
    }
    return ESP_ERR_NOT_FOUND;
}

/* MARK: - Response */

esp_err_t httpd_resp_set_status(httpd_req_t *r, const char *status)
{
    httpd_session_t *s = session_of(r);
    if (s == NULL || status == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    s->status = status;
    return ESP_OK;
}

esp_err_t httpd_resp_set_type(httpd_req_t *r, const char *type)
{
    httpd_session_t *s = session_of(r);
    if (s == NULL || type == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    s->type = type;
    return ESP_OK;
}

esp_err_t httpd_resp_set_hdr(httpd_req_t *r, const char *field, const char *value)
{
    httpd_session_t *s = session_of(r);
    if (s == NULL || field == NULL || value == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (s->header_count >= s->server->config.max_resp_headers || s->header_count >= HTTPD_MAX_HEADERS_OUT) {
        return ESP_ERR_HTTPD_RESP_HDR;
    }
    /* pointers, not copies: as on ESP-IDF they must stay valid until the response is sent */
    s->header_fields[s->header_count] = field;
    s->header_values[s->header_count] = value;
    s->header_count++;
    return ESP_OK;
}

/* Status line, Content-Type, then Content-Length or chunked, the custom headers, and the blank line. */
static bool send_head(httpd_session_t *s, long content_length)
{
    char head[1024];
    int used = snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Type: %s\r\n", s->status, s->type);
    if (content_length >= 0) {
        used += snprintf(head + used, sizeof head - (size_t)used, "Content-Length: %ld\r\n", content_length);
    } else {
        used += snprintf(head + used, sizeof head - (size_t)used, "Transfer-Encoding: chunked\r\n");
    }
    for (int i = 0; i < s->header_count && used < (int)sizeof head; i++) {
        used += snprintf(head + used, sizeof head - (size_t)used, "%s: %s\r\n", s->header_fields[i],
                         s->header_values[i]);
    }
    if (used >= (int)sizeof head - 2) {
        return false;
    }
    used += snprintf(head + used, sizeof head - (size_t)used, "\r\n");
    s->head_sent = true;
    return send_all(s, head, (size_t)used);
}

esp_err_t httpd_resp_send(httpd_req_t *r, const char *buf, ssize_t buf_len)
{
    httpd_session_t *s = session_of(r);
    if (s == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    size_t length = buf == NULL ? 0 : (buf_len == HTTPD_RESP_USE_STRLEN ? strlen(buf) : (size_t)buf_len);
    if (!send_head(s, (long)length) || (length > 0 && !send_all(s, buf, length))) {
        return ESP_ERR_HTTPD_RESP_SEND;
    }
    return ESP_OK;
}

esp_err_t httpd_resp_send_chunk(httpd_req_t *r, const char *buf, ssize_t buf_len)
{
    httpd_session_t *s = session_of(r);
    if (s == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    size_t length = buf == NULL ? 0 : (buf_len == HTTPD_RESP_USE_STRLEN ? strlen(buf) : (size_t)buf_len);
    if (!s->head_sent) {
        s->chunked = true;
        if (!send_head(s, -1)) {
            return ESP_ERR_HTTPD_RESP_SEND;
        }
    }
    char size_line[20];
    int n = snprintf(size_line, sizeof size_line, "%zx\r\n", length);
    bool ok = send_all(s, size_line, (size_t)n) && (length == 0 || send_all(s, buf, length)) &&
              send_all(s, "\r\n", 2);
    return ok ? ESP_OK : ESP_ERR_HTTPD_RESP_SEND;
}

int httpd_req_to_sockfd(httpd_req_t *r)
{
    httpd_session_t *s = session_of(r);
    return s != NULL ? s->fd : -1;
}

esp_err_t httpd_resp_send_custom_err(httpd_req_t *req, const char *status, const char *msg)
{
    if (session_of(req) == NULL || status == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    httpd_resp_set_status(req, status);
    httpd_resp_set_type(req, HTTPD_TYPE_TEXT);
    return httpd_resp_send(req, msg, HTTPD_RESP_USE_STRLEN);
}

esp_err_t httpd_resp_send_err(httpd_req_t *req, httpd_err_code_t error, const char *msg)
{
    static const struct {
        const char *status;
        const char *message;
    } s_errors[HTTPD_ERR_CODE_MAX] = {
        [HTTPD_500_INTERNAL_SERVER_ERROR] = { "500 Internal Server Error", "Server has encountered an unexpected error" },
        [HTTPD_501_METHOD_NOT_IMPLEMENTED] = { "501 Method Not Implemented", "Request method is not supported by server" },
        [HTTPD_505_VERSION_NOT_SUPPORTED] = { "505 Version Not Supported", "HTTP version not supported by server" },
        [HTTPD_400_BAD_REQUEST] = { "400 Bad Request", "Bad request syntax" },
        [HTTPD_401_UNAUTHORIZED] = { "401 Unauthorized", "No permission -- see authorization schemes" },
        [HTTPD_403_FORBIDDEN] = { "403 Forbidden", "Request forbidden -- authorization will not help" },
        [HTTPD_404_NOT_FOUND] = { "404 Not Found", "Nothing matches the given URI" },
        [HTTPD_405_METHOD_NOT_ALLOWED] = { "405 Method Not Allowed", "Specified method is invalid for this resource" },
        [HTTPD_408_REQ_TIMEOUT] = { "408 Request Timeout", "Server closed this connection" },
        [HTTPD_411_LENGTH_REQUIRED] = { "411 Length Required", "Chunked encoding not supported" },
        [HTTPD_414_URI_TOO_LONG] = { "414 URI Too Long", "URI is too long" },
        [HTTPD_431_REQ_HDR_FIELDS_TOO_LARGE] = { "431 Request Header Fields Too Large", "Header fields are too long" },
    };
    if (error < 0 || error >= HTTPD_ERR_CODE_MAX) {
        return ESP_ERR_INVALID_ARG;
    }
    httpd_resp_set_status(req, s_errors[error].status);
    httpd_resp_set_type(req, HTTPD_TYPE_TEXT);
    return httpd_resp_send(req, msg != NULL ? msg : s_errors[error].message, HTTPD_RESP_USE_STRLEN);
}
