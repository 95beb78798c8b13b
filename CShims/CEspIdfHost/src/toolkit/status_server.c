/*
 * The toolkit's own status pages for a firmware device (GET /api/status, GET /),
 * served by the host's esp_http_server on an lwIP port of its own: port 80
 * belongs to the firmware's web server.  The page content comes from Swift.
 */
#include "probes/probes.h"

#include <stdlib.h>

#include "CEspIdfHost.h"
#include "esp_http_server.h"

typedef struct {
    CEspIdfHost_PageCallback callback;
    void *context;
} page_source_t;

static esp_err_t page_handler(httpd_req_t *req)
{
    const page_source_t *source = req->user_ctx;
    char path[HTTPD_MAX_URI_LEN + 1];
    size_t i = 0;
    while (req->uri[i] != '\0' && req->uri[i] != '?' && i < HTTPD_MAX_URI_LEN) {
        path[i] = req->uri[i];
        i++;
    }
    path[i] = '\0';
    const char *type = HTTPD_TYPE_TEXT;
    char *page = source->callback(source->context, path, &type);
    if (page == NULL) {
        return httpd_resp_send_404(req);
    }
    httpd_resp_set_type(req, type);
    httpd_resp_set_hdr(req, "Cache-Control", "no-store");
    esp_err_t err = httpd_resp_send(req, page, HTTPD_RESP_USE_STRLEN);
    free(page);
    return err;
}

int CEspIdfHost_startStatusServer(uint16_t port, CEspIdfHost_PageCallback callback, void *context)
{
    page_source_t *source = malloc(sizeof *source);
    if (source == NULL || callback == NULL) {
        free(source);
        return ESP_ERR_INVALID_ARG;
    }
    source->callback = callback;
    source->context = context;
    esp_netif_init();
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    config.server_port = port;
    config.max_open_sockets = 3;
    config.global_user_ctx = source;
    config.global_user_ctx_free_fn = free;
    httpd_handle_t server = NULL;
    esp_err_t err = httpd_start(&server, &config);
    if (err != ESP_OK) {
        free(source);
        return err;
    }
    static const char *const paths[] = { "/api/status", "/" };
    for (size_t i = 0; i < 2; i++) {
        httpd_uri_t uri = { .uri = paths[i], .method = HTTP_GET, .handler = page_handler, .user_ctx = source };
        httpd_register_uri_handler(server, &uri);
    }
    return ESP_OK;
}
