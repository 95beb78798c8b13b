/*
 * A session's transport and contexts, as ESP-IDF v5.4 keeps them in its struct sock_db: the send/recv/pending
 * functions (httpd_txrx.c: httpd_sess_set_send_override, _recv_override, _pending_override, httpd_default_send,
 * httpd_default_recv, httpd_socket_send/recv, httpd_send), the transport context a layer such as esp_https_server
 * stores per connection (httpd_sess.c: httpd_sess_set_transport_ctx/get_transport_ctx), the firmware's own
 * session context (httpd_sess_set_ctx/get_ctx, which inside a handler work on req->sess_ctx) and
 * httpd_main.c's httpd_get_global_transport_ctx.  Sessions are found by socket, as httpd_sess_get does.
 */
#include "httpd_server.h"

#include <errno.h>
#include <stdlib.h>

#include <lwip/sockets.h>

#include "esp_log.h"

static const char *TAG = "httpd_txrx";

httpd_session_t *httpd_session_find(httpd_server_t *server, int fd)
{
    if (server == NULL || fd < 0) {
        return NULL;
    }
    pthread_mutex_lock(&server->lock);
    httpd_session_t *found = server->open_sessions;
    while (found != NULL && found->fd != fd) {
        found = found->next_open;
    }
    pthread_mutex_unlock(&server->lock);
    return found;
}

/* httpd_sess_free_ctx: the context's own free function, else free(). */
static void free_ctx(void **ctx, httpd_free_ctx_fn_t free_fn)
{
    if (*ctx == NULL) {
        return;
    }
    if (free_fn != NULL) {
        free_fn(*ctx);
    } else {
        free(*ctx);
    }
    *ctx = NULL;
}

void httpd_session_clear_ctx(httpd_session_t *s)
{
    free_ctx(&s->ctx, s->free_ctx);
    s->free_ctx = NULL;
    free_ctx(&s->transport_ctx, s->free_transport_ctx);
    s->free_transport_ctx = NULL;
}

esp_err_t httpd_sess_set_send_override(httpd_handle_t hd, int sockfd, httpd_send_func_t send_func)
{
    httpd_session_t *s = httpd_session_find(hd, sockfd);
    if (s == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    s->send_fn = send_func;
    return ESP_OK;
}

esp_err_t httpd_sess_set_recv_override(httpd_handle_t hd, int sockfd, httpd_recv_func_t recv_func)
{
    httpd_session_t *s = httpd_session_find(hd, sockfd);
    if (s == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    s->recv_fn = recv_func;
    return ESP_OK;
}

esp_err_t httpd_sess_set_pending_override(httpd_handle_t hd, int sockfd, httpd_pending_func_t pending_func)
{
    httpd_session_t *s = httpd_session_find(hd, sockfd);
    if (s == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    s->pending_fn = pending_func;
    return ESP_OK;
}

/* httpd_sock_err: errno as HTTPD_SOCK_ERR_*, with v5.4's warning. */
static int socket_error(const char *what)
{
    int error = errno;
    host_log_line(ESP_LOG_WARN, TAG, "httpd_sock_err: error in %s : %d", what, error);
    switch (error) {
    case EAGAIN:
    case EINTR:
        return HTTPD_SOCK_ERR_TIMEOUT;
    case EINVAL:
    case EBADF:
    case EFAULT:
    case ENOTSOCK:
        return HTTPD_SOCK_ERR_INVALID;
    default:
        return HTTPD_SOCK_ERR_FAIL;
    }
}

int httpd_default_send(httpd_handle_t hd, int sockfd, const char *buf, size_t buf_len, int flags)
{
    (void)hd;
    if (buf == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    int n = host_sock_send(sockfd, buf, buf_len, flags);
    return n < 0 ? socket_error("send") : n;
}

int httpd_default_recv(httpd_handle_t hd, int sockfd, char *buf, size_t buf_len, int flags)
{
    (void)hd;
    if (buf == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    int n = host_sock_recv(sockfd, buf, buf_len, flags);
    return n < 0 ? socket_error("recv") : n;
}

int httpd_socket_send(httpd_handle_t hd, int sockfd, const char *buf, size_t buf_len, int flags)
{
    httpd_session_t *s = httpd_session_find(hd, sockfd);
    if (s == NULL || s->send_fn == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    return s->send_fn(hd, sockfd, buf, buf_len, flags);
}

int httpd_socket_recv(httpd_handle_t hd, int sockfd, char *buf, size_t buf_len, int flags)
{
    httpd_session_t *s = httpd_session_find(hd, sockfd);
    if (s == NULL || s->recv_fn == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    return s->recv_fn(hd, sockfd, buf, buf_len, flags);
}

/* One call of the session's send function: raw bytes, no HTTP framing. */
int httpd_send(httpd_req_t *r, const char *buf, size_t buf_len)
{
    httpd_session_t *s = r != NULL ? r->aux : NULL;
    if (s == NULL || buf == NULL) {
        return HTTPD_SOCK_ERR_INVALID;
    }
    return s->send_fn(s->server, s->fd, buf, buf_len, 0);
}

void *httpd_sess_get_transport_ctx(httpd_handle_t handle, int sockfd)
{
    httpd_session_t *s = httpd_session_find(handle, sockfd);
    return s != NULL ? s->transport_ctx : NULL;
}

void httpd_sess_set_transport_ctx(httpd_handle_t handle, int sockfd, void *ctx, httpd_free_ctx_fn_t free_fn)
{
    httpd_session_t *s = httpd_session_find(handle, sockfd);
    if (s == NULL) {
        return;
    }
    if (s->transport_ctx != ctx) {
        free_ctx(&s->transport_ctx, s->free_transport_ctx);
        s->transport_ctx = ctx;
    }
    s->free_transport_ctx = free_fn;
}

void *httpd_sess_get_ctx(httpd_handle_t handle, int sockfd)
{
    httpd_session_t *s = httpd_session_find(handle, sockfd);
    if (s == NULL) {
        return NULL;
    }
    return s->current != NULL ? s->current->sess_ctx : s->ctx;
}

void httpd_sess_set_ctx(httpd_handle_t handle, int sockfd, void *ctx, httpd_free_ctx_fn_t free_fn)
{
    httpd_session_t *s = httpd_session_find(handle, sockfd);
    if (s == NULL) {
        return;
    }
    if (s->current != NULL) {
        /* inside a handler: the request carries it; the session takes it when the request ends */
        httpd_req_t *r = s->current;
        if (r->sess_ctx != ctx) {
            if (s->ctx != r->sess_ctx) {
                free_ctx(&r->sess_ctx, r->free_ctx);
            }
            r->sess_ctx = ctx;
        }
        r->free_ctx = free_fn;
        return;
    }
    if (s->ctx != ctx) {
        free_ctx(&s->ctx, s->free_ctx);
        s->ctx = ctx;
    }
    s->free_ctx = free_fn;
}

void *httpd_get_global_transport_ctx(httpd_handle_t handle)
{
    httpd_server_t *server = handle;
    return server != NULL ? server->config.global_transport_ctx : NULL;
}

void httpd_session_begin_request(httpd_session_t *s, httpd_req_t *req)
{
    req->sess_ctx = s->ctx;
    req->free_ctx = s->free_ctx;
    req->ignore_sess_ctx_changes = s->ignore_sess_ctx_changes;
    s->current = req;
}

void httpd_session_end_request(httpd_session_t *s, httpd_req_t *req)
{
    if (!req->ignore_sess_ctx_changes && s->ctx != req->sess_ctx) {
        free_ctx(&s->ctx, s->free_ctx);
    }
    s->ctx = req->sess_ctx;
    s->free_ctx = req->free_ctx;
    s->ignore_sess_ctx_changes = req->ignore_sess_ctx_changes;
    s->current = NULL;
}
