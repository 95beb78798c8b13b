/*
 * esp_http_server's server object on the host: the listening lwIP socket, the
 * accept loop (an "httpd" task) and the URI handler table.
 *
 * The listener has a 200 ms SO_RCVTIMEO and is closed only by the accept loop
 * itself: closing a listening lwIP socket while another thread blocks in
 * lwip_accept deadlocks inside lwIP.  httpd_stop asks the loop to end and waits
 * for it.  Open connections end within 200 ms of a stop (see httpd_session.c).
 *
 * With max_open_sockets sessions open, a new connection waits in the backlog, as
 * ESP-IDF's server stops selecting its listener (httpd_server.c); with
 * lru_purge_enable the least recently active session is closed for it instead
 * (httpd_accept_conn → httpd_sess_close_lru).
 */
#include "httpd_server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/sockets.h>

#include "esp_log.h"

static const char *TAG = "httpd";

static pthread_mutex_t s_list_lock = PTHREAD_MUTEX_INITIALIZER;
static httpd_server_t *s_servers;

void httpd_server_release(httpd_server_t *server)
{
    pthread_mutex_lock(&server->lock);
    bool last = --server->refs == 0;
    pthread_mutex_unlock(&server->lock);
    if (!last) {
        return;
    }
    for (int i = 0; i < server->handler_count; i++) {
        free((char *)server->handlers[i].uri);
    }
    free(server->handlers);
    if (server->config.global_user_ctx != NULL && server->config.global_user_ctx_free_fn != NULL) {
        server->config.global_user_ctx_free_fn(server->config.global_user_ctx);
    }
    /* httpd_delete: the global transport context with its free function, else free() */
    if (server->config.global_transport_ctx != NULL) {
        if (server->config.global_transport_ctx_free_fn != NULL) {
            server->config.global_transport_ctx_free_fn(server->config.global_transport_ctx);
        } else {
            free(server->config.global_transport_ctx);
        }
    }
    free(server);
}

size_t httpd_server_head_limit(const httpd_server_t *server)
{
    return server->max_req_hdr_len > server->max_uri_len ? server->max_req_hdr_len : server->max_uri_len;
}

/* Waits (one 200 ms slice at most) until fewer than max_open_sockets sessions are open; with server->lock. */
static bool wait_for_room_locked(httpd_server_t *server, uint64_t ms)
{
    struct timespec deadline = host_deadline_in_ms(ms);
    while (server->sessions >= server->config.max_open_sockets && !server->stopping) {
        if (!host_cond_wait_until(&server->session_ended, &server->lock, &deadline)) {
            break;
        }
    }
    return server->sessions < server->config.max_open_sockets;
}

/* httpd_sess_close_lru: the session with the oldest activity is told to close; waits (bounded) until it has. */
static void purge_lru_locked(httpd_server_t *server)
{
    httpd_session_t *lru = NULL;
    for (httpd_session_t *s = server->open_sessions; s != NULL; s = s->next_open) {
        if (!s->purged && (lru == NULL || s->last_activity < lru->last_activity)) {
            lru = s;
        }
    }
    if (lru != NULL) {
        lru->purged = 1;    /* its thread notices within one 200 ms receive slice */
        host_log_line(ESP_LOG_DEBUG, TAG, "lru_purge: closing the least recently used session (fd %d)", lru->fd);
    }
    wait_for_room_locked(server, 1000);
}

static void accept_loop(void *arg)
{
    httpd_server_t *server = arg;
    while (!server->stopping && !host_task_deletion_pending()) {
        pthread_mutex_lock(&server->lock);
        bool room = server->config.lru_purge_enable || wait_for_room_locked(server, 200);
        pthread_mutex_unlock(&server->lock);
        if (!room) {
            continue;   /* full: the newcomer waits in the listen backlog */
        }
        int fd = host_sock_accept(server->listener, NULL, NULL);
        if (fd < 0) {
            continue;  /* the 200 ms receive timeout: look at `stopping` again */
        }
        pthread_mutex_lock(&server->lock);
        if (server->sessions >= server->config.max_open_sockets) {
            purge_lru_locked(server);
        }
        server->sessions++;
        server->refs++;
        pthread_mutex_unlock(&server->lock);
        httpd_session_start(server, fd);
    }
    host_sock_close(server->listener);
    pthread_mutex_lock(&server->lock);
    server->accept_running = false;
    pthread_cond_broadcast(&server->accept_done);
    pthread_mutex_unlock(&server->lock);
    httpd_server_release(server);
    vTaskDelete(NULL);
}

esp_err_t host_httpd_start(httpd_handle_t *handle, const httpd_config_t *config, size_t max_req_hdr_len,
                           size_t max_uri_len)
{
    host_rtos_on_shutdown(host_httpd_stop_all);
    if (handle == NULL || config == NULL || config->max_uri_handlers == 0 || config->max_open_sockets == 0) {
        return ESP_ERR_INVALID_ARG;
    }
    if (!host_tcpip_started()) {
        host_log_line(ESP_LOG_ERROR, TAG, "httpd_start before esp_netif_init(): lwIP is not running");
        return ESP_ERR_INVALID_STATE;
    }
    int fd = host_sock_socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        host_log_line(ESP_LOG_ERROR, TAG, "error in socket (%d)", errno);
        return ESP_FAIL;
    }
    int on = 1;
    host_sock_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = lwip_htons(config->server_port) };
    address.sin_addr.s_addr = lwip_htonl(INADDR_ANY);
    if (host_sock_bind(fd, (struct sockaddr *)&address, sizeof address) != 0 ||
        host_sock_listen(fd, config->backlog_conn > 0 ? config->backlog_conn : 5) != 0) {
        host_log_line(ESP_LOG_ERROR, TAG, "error in bind/listen on port %u (%d)", config->server_port,
                              errno);
        host_sock_close(fd);
        return ESP_FAIL;
    }
    struct timeval tick = { .tv_sec = 0, .tv_usec = 200000 };
    host_sock_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);

    httpd_server_t *server = calloc(1, sizeof *server);
    httpd_uri_t *handlers = calloc(config->max_uri_handlers, sizeof *handlers);
    if (server == NULL || handlers == NULL) {
        free(server);
        free(handlers);
        host_sock_close(fd);
        return ESP_ERR_HTTPD_ALLOC_MEM;
    }
    server->config = *config;
    server->max_req_hdr_len = max_req_hdr_len;
    server->max_uri_len = max_uri_len;
    server->listener = fd;
    server->handlers = handlers;
    pthread_mutex_init(&server->lock, NULL);
    pthread_mutex_init(&server->handler_lock, NULL);
    host_cond_init(&server->accept_done);
    host_cond_init(&server->session_ended);
    server->accept_running = true;
    server->refs = 2;  /* the handle and the accept loop */
    if (xTaskCreate(accept_loop, "httpd", (uint32_t)config->stack_size, server, config->task_priority, NULL) !=
        pdPASS) {
        host_sock_close(fd);
        free(handlers);
        free(server);
        return ESP_ERR_HTTPD_TASK;
    }
    pthread_mutex_lock(&s_list_lock);
    server->next = s_servers;
    s_servers = server;
    pthread_mutex_unlock(&s_list_lock);
    *handle = server;
    host_log_line(ESP_LOG_DEBUG, TAG, "httpd started on port %u", config->server_port);
    return ESP_OK;
}

/* For callers that take httpd_start's address: v5.4's default limits. */
esp_err_t (httpd_start)(httpd_handle_t *handle, const httpd_config_t *config)
{
    return host_httpd_start(handle, config, 512, 512);
}

static bool unlink_server(httpd_server_t *server)
{
    bool found = false;
    pthread_mutex_lock(&s_list_lock);
    for (httpd_server_t **at = &s_servers; *at != NULL; at = &(*at)->next) {
        if (*at == server) {
            *at = server->next;
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&s_list_lock);
    return found;
}

esp_err_t httpd_stop(httpd_handle_t handle)
{
    httpd_server_t *server = handle;
    if (server == NULL || !unlink_server(server)) {
        return ESP_ERR_INVALID_ARG;
    }
    server->stopping = 1;
    struct timespec deadline = host_deadline_in_ms(2000);
    pthread_mutex_lock(&server->lock);
    while (server->accept_running) {
        if (!host_cond_wait_until(&server->accept_done, &server->lock, &deadline)) {
            break;
        }
    }
    pthread_mutex_unlock(&server->lock);
    httpd_server_release(server);
    return ESP_OK;
}

void host_httpd_stop_all(void)
{
    for (;;) {
        pthread_mutex_lock(&s_list_lock);
        httpd_server_t *server = s_servers;
        pthread_mutex_unlock(&s_list_lock);
        if (server == NULL) {
            return;
        }
        httpd_stop(server);
    }
}

void *httpd_get_global_user_ctx(httpd_handle_t handle)
{
    httpd_server_t *server = handle;
    return server != NULL ? server->config.global_user_ctx : NULL;
}

esp_err_t httpd_register_err_handler(httpd_handle_t handle, httpd_err_code_t error,
                                     httpd_err_handler_func_t handler_fn)
{
    httpd_server_t *server = handle;
    if (server == NULL || error < 0 || error >= HTTPD_ERR_CODE_MAX) {
        return ESP_ERR_INVALID_ARG;
    }
    server->err_handlers[error] = handler_fn;
    return ESP_OK;
}

/* ESP-IDF's uri_match_fn, or httpd_uri_match_simple's exact comparison. */
static bool uri_matches(const httpd_server_t *server, const char *template, const char *uri, size_t length)
{
    return server->config.uri_match_fn != NULL ? server->config.uri_match_fn(template, uri, length)
                                               : strlen(template) == length && strncmp(template, uri, length) == 0;
}

esp_err_t httpd_register_uri_handler(httpd_handle_t handle, const httpd_uri_t *uri_handler)
{
    httpd_server_t *server = handle;
    if (server == NULL || uri_handler == NULL || uri_handler->uri == NULL || uri_handler->handler == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&server->lock);
    /* as httpd_register_uri_handler: a handler already matching this URI and method (a wildcard registered
     * earlier included) makes it a duplicate */
    for (int i = 0; i < server->handler_count; i++) {
        const httpd_uri_t *h = &server->handlers[i];
        if ((h->method == uri_handler->method || (int)h->method == HTTP_ANY) &&
            uri_matches(server, h->uri, uri_handler->uri, strlen(uri_handler->uri))) {
            err = ESP_ERR_HTTPD_HANDLER_EXISTS;
        }
    }
    if (err == ESP_OK && server->handler_count >= server->config.max_uri_handlers) {
        err = ESP_ERR_HTTPD_HANDLERS_FULL;
    }
    if (err == ESP_OK) {
        httpd_uri_t *slot = &server->handlers[server->handler_count];
        *slot = *uri_handler;
        slot->uri = strdup(uri_handler->uri);
        if (slot->uri == NULL) {
            err = ESP_ERR_HTTPD_ALLOC_MEM;
        } else {
            server->handler_count++;
        }
    }
    pthread_mutex_unlock(&server->lock);
    if (err == ESP_ERR_HTTPD_HANDLERS_FULL) {
        host_log_line(ESP_LOG_WARN, TAG, "no slots left for registering handler (max_uri_handlers %u)",
                              server->config.max_uri_handlers);
    }
    return err;
}

esp_err_t httpd_unregister_uri_handler(httpd_handle_t handle, const char *uri, httpd_method_t method)
{
    httpd_server_t *server = handle;
    if (server == NULL || uri == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    esp_err_t err = ESP_ERR_NOT_FOUND;
    pthread_mutex_lock(&server->lock);
    for (int i = 0; i < server->handler_count; i++) {
        if (server->handlers[i].method == method && strcmp(server->handlers[i].uri, uri) == 0) {
            free((char *)server->handlers[i].uri);
            memmove(&server->handlers[i], &server->handlers[i + 1],
                    (size_t)(server->handler_count - i - 1) * sizeof server->handlers[0]);
            server->handler_count--;
            err = ESP_OK;
            break;
        }
    }
    pthread_mutex_unlock(&server->lock);
    return err;
}

/* httpd_uri.c's rules: only the template's end is special.  A final "*" accepts any rest; a final "?" makes the
 * character before it optional; "?*" or "*?" at the end do both.  A "*" or "?" elsewhere is an ordinary
 * character, and a template of just "?" matches nothing. */
bool httpd_uri_match_wildcard(const char *uri_template, const char *uri_to_match, size_t match_upto)
{
    const size_t template_length = strlen(uri_template);
    const char last = template_length > 0 ? uri_template[template_length - 1] : '\0';
    const char before_last = template_length > 1 ? uri_template[template_length - 2] : '\0';
    const bool any_rest = last == '*' || (before_last == '*' && last == '?');
    const bool optional = last == '?' || (before_last == '?' && last == '*');
    const size_t special = (any_rest ? 1 : 0) + (optional ? 2 : 0);   /* the optional character counts too */
    if (template_length < special) {
        return false;
    }
    const size_t required = template_length - special;
    if (match_upto < required || strncmp(uri_template, uri_to_match, required) != 0) {
        return false;
    }
    if (!optional) {
        return any_rest || match_upto == required;
    }
    if (match_upto > required && uri_template[required] != uri_to_match[required]) {
        return false;   /* there is a character where the optional one goes, and it is another */
    }
    return any_rest || match_upto <= required + 1;
}

int httpd_server_find(httpd_server_t *server, const char *uri, size_t path_length, int method, httpd_uri_t *out)
{
    int result = 404;
    pthread_mutex_lock(&server->lock);
    for (int i = 0; i < server->handler_count; i++) {
        const httpd_uri_t *h = &server->handlers[i];
        if (!uri_matches(server, h->uri, uri, path_length)) {
            continue;
        }
        if ((int)h->method == method || (int)h->method == HTTP_ANY) {
            *out = *h;
            result = 0;
            break;
        }
        result = 405;
    }
    pthread_mutex_unlock(&server->lock);
    return result;
}
