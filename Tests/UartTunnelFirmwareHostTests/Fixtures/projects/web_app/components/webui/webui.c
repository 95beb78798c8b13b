/*
 * GET /            the embedded index.html (EMBED_FILES), byte for byte
 * GET /robots.txt  the embedded robots.txt (EMBED_TXTFILES): sent with its NUL terminator, end - start bytes
 * GET /api/hello   {"greeting", "name", "reset_reason"}: name from NVS ("" until saved)
 * POST /api/name   {"name": "..."}: saved to NVS, answered, then the chip restarts
 */
#include "webui.h"

#include <string.h>

#include "cJSON.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "store.h"

static const char *TAG = "webui";
static const char *s_greeting;

extern const uint8_t index_html_start[] asm("_binary_index_html_start");
extern const uint8_t index_html_end[] asm("_binary_index_html_end");
extern const uint8_t robots_txt_start[] asm("_binary_robots_txt_start");
extern const uint8_t robots_txt_end[] asm("_binary_robots_txt_end");

static esp_err_t index_get(httpd_req_t *req)
{
    httpd_resp_set_type(req, "text/html");
    return httpd_resp_send(req, (const char *)index_html_start, index_html_end - index_html_start);
}

static esp_err_t robots_get(httpd_req_t *req)
{
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_send(req, (const char *)robots_txt_start, robots_txt_end - robots_txt_start);
}

static esp_err_t hello_get(httpd_req_t *req)
{
    char name[32] = "";
    esp_err_t err = store_get_name(name, sizeof name);
    if (err != ESP_OK && err != ESP_ERR_NVS_NOT_FOUND) {
        return httpd_resp_send_500(req);
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "greeting", s_greeting);
    cJSON_AddStringToObject(root, "name", name);
    cJSON_AddNumberToObject(root, "reset_reason", esp_reset_reason());
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    httpd_resp_set_type(req, "application/json");
    err = httpd_resp_sendstr(req, text);
    cJSON_free(text);
    return err;
}

static void restart_task(void *arg)
{
    vTaskDelay(pdMS_TO_TICKS(200)); /* let the answer leave first */
    ESP_LOGI(TAG, "restarting to apply the new name");
    esp_restart();
}

static esp_err_t name_post(httpd_req_t *req)
{
    char body[128];
    if (req->content_len == 0 || req->content_len >= sizeof body) {
        return httpd_resp_send_err(req, HTTPD_400_BAD_REQUEST, "body: 1..127 bytes of JSON");
    }
    size_t got = 0;
    while (got < req->content_len) {
        int n = httpd_req_recv(req, body + got, req->content_len - got);
        if (n <= 0) {
            return ESP_FAIL;
        }
        got += (size_t)n;
    }
    body[got] = '\0';
    cJSON *root = cJSON_Parse(body);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(name) || strlen(name->valuestring) >= 32) {
        cJSON_Delete(root);
        return httpd_resp_send_err(req, HTTPD_400_BAD_REQUEST, "expected {\"name\": \"...\"} (under 32 bytes)");
    }
    esp_err_t err = store_set_name(name->valuestring);
    if (err != ESP_OK) {
        cJSON_Delete(root);
        return httpd_resp_send_500(req);
    }
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "saved", name->valuestring);
    char *text = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    cJSON_Delete(root);
    httpd_resp_set_type(req, "application/json");
    err = httpd_resp_sendstr(req, text);
    cJSON_free(text);
    xTaskCreate(restart_task, "restart", 2048, NULL, 5, NULL);
    return err;
}

esp_err_t webui_start(const char *greeting)
{
    s_greeting = greeting;
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    httpd_handle_t server = NULL;
    esp_err_t err = httpd_start(&server, &config);
    if (err != ESP_OK) {
        return err;
    }
    const httpd_uri_t uris[] = {
        {.uri = "/", .method = HTTP_GET, .handler = index_get},
        {.uri = "/robots.txt", .method = HTTP_GET, .handler = robots_get},
        {.uri = "/api/hello", .method = HTTP_GET, .handler = hello_get},
        {.uri = "/api/name", .method = HTTP_POST, .handler = name_post},
    };
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        httpd_register_uri_handler(server, &uris[i]);
    }
    ESP_LOGI(TAG, "serving on port 80");
    return ESP_OK;
}
