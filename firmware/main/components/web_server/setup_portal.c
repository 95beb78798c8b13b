/*
 * The setup soft-AP and its page, after ESP-IDF v5.4's examples/wifi/getting_started/softAP
 * (default AP netif: 192.168.4.1/24 with its DHCP server; WIFI_EVENT_AP_STACONNECTED/
 * _STADISCONNECTED logged) and the form-and-restart flow its provisioning examples lead to:
 * GET / is a form, POST / (application/x-www-form-urlencoded: ssid, password) stores the
 * network in NVS, answers, and restarts the chip, which then joins it as a station.
 *
 * Log lines (tag "setup_portal"):
 *   setup AP "SSID" on channel C: join it and open http://A.B.C.D/
 *   station MAC joined, AID=N          | station MAC left, AID=N, reason R
 *   rejected form: MESSAGE             (the 400 answer's text)
 *   saved network "SSID": restarting in D ms
 */
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER

#include "setup_portal.h"

#include <stdio.h>
#include <string.h>

#include "esp_check.h"
#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_netif.h"
#include "esp_system.h"
#include "esp_wifi.h"
#include "form_urlencoded.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "web_server.h"
#include "wifi_credentials.h"

#define FORM_MAX_BYTES 512   /* a 32-byte SSID and 63-character password, each %-escaped, fit */
#define RECV_TIMEOUTS 3      /* recv_wait_timeout periods a slow client may take for the body */

static const char *TAG = "setup_portal";
static httpd_handle_t s_server;

static const char s_form[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\"><title>Wi-Fi setup</title></head>"
    "<body><h1>Wi-Fi setup</h1><p>The network this device should join:</p>"
    "<form method=\"post\" action=\"/\">"
    "<p><label>Network name (SSID) <input name=\"ssid\" maxlength=\"32\" required></label></p>"
    "<p><label>Password <input name=\"password\" type=\"password\" maxlength=\"63\"></label>"
    " (empty for an open network)</p>"
    "<p><button type=\"submit\">Save and restart</button></p></form></body></html>\n";

static esp_err_t form_get(httpd_req_t *req)
{
    httpd_resp_set_type(req, "text/html");
    return httpd_resp_send(req, s_form, HTTPD_RESP_USE_STRLEN);
}

static esp_err_t reject(httpd_req_t *req, const char *message)
{
    ESP_LOGW(TAG, "rejected form: %s", message);
    return httpd_resp_send_err(req, HTTPD_400_BAD_REQUEST, message);
}

/* One field's decoding result as the user should read it; NULL when fine. */
static const char *field_problem(form_field_result_t result, const char *name, char *text, size_t size)
{
    switch (result) {
    case FORM_FIELD_OK: return NULL;
    case FORM_FIELD_MISSING: snprintf(text, size, "missing field: %s", name); break;
    case FORM_FIELD_TOO_LONG: snprintf(text, size, "%s is too long", name); break;
    case FORM_FIELD_BAD_ESCAPE: snprintf(text, size, "bad %%-escape in %s", name); break;
    }
    return text;
}

static void restart_task(void *arg)
{
    (void)arg;
    /* the answer is queued in lwIP; give it the configured time to reach the browser */
    vTaskDelay(pdMS_TO_TICKS(CONFIG_WIFI_MANAGER_RESTART_DELAY_MS));
    esp_restart();
}

static esp_err_t form_post(httpd_req_t *req)
{
    char body[FORM_MAX_BYTES + 1];
    if (req->content_len == 0) {
        return reject(req, "empty form: send ssid=NAME&password=PASSWORD");
    }
    if (req->content_len > FORM_MAX_BYTES) {
        char text[64];
        snprintf(text, sizeof text, "form too large: at most %d bytes", FORM_MAX_BYTES);
        return reject(req, text);
    }
    size_t got = 0;
    for (int timeouts = 0; got < req->content_len;) {
        const int n = httpd_req_recv(req, body + got, req->content_len - got);
        if (n == HTTPD_SOCK_ERR_TIMEOUT && ++timeouts < RECV_TIMEOUTS) {
            continue;
        }
        if (n <= 0) {
            return ESP_FAIL;  /* the client left: httpd closes the connection */
        }
        got += (size_t)n;
    }
    wifi_credentials_t network;
    char text[96];
    const char *problem =
        field_problem(form_field(body, got, "ssid", network.ssid, sizeof network.ssid, NULL), "ssid", text, sizeof text);
    if (problem == NULL) {
        problem = field_problem(form_field(body, got, "password", network.password, sizeof network.password, NULL),
                                "password", text, sizeof text);
    }
    if (problem == NULL) {
        problem = wifi_credentials_problem(network.ssid, network.password);
    }
    if (problem != NULL) {
        return reject(req, problem);
    }
    esp_err_t err = wifi_credentials_save(&network);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "saving the network: %s", esp_err_to_name(err));
        return httpd_resp_send_err(req, HTTPD_500_INTERNAL_SERVER_ERROR, "could not store the network");
    }
    /* text/plain: the SSID is echoed as typed, never as markup */
    char answer[128];
    snprintf(answer, sizeof answer, "saved network \"%s\": restarting to join it\n", network.ssid);
    httpd_resp_set_type(req, "text/plain");
    httpd_resp_set_hdr(req, "Connection", "close");
    err = httpd_resp_send(req, answer, HTTPD_RESP_USE_STRLEN);
    ESP_LOGI(TAG, "saved network \"%s\": restarting in %d ms", network.ssid, CONFIG_WIFI_MANAGER_RESTART_DELAY_MS);
    if (xTaskCreate(restart_task, "restart", 2048, NULL, 5, NULL) != pdPASS) {
        esp_restart();
    }
    return err;
}

static void on_ap_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    if (id == WIFI_EVENT_AP_STACONNECTED) {
        const wifi_event_ap_staconnected_t *event = data;
        ESP_LOGI(TAG, "station " MACSTR " joined, AID=%d", MAC2STR(event->mac), event->aid);
    } else if (id == WIFI_EVENT_AP_STADISCONNECTED) {
        const wifi_event_ap_stadisconnected_t *event = data;
        ESP_LOGI(TAG, "station " MACSTR " left, AID=%d, reason %d", MAC2STR(event->mac), event->aid, event->reason);
    }
}

static esp_err_t start_page(void)
{
    web_server_stop();  /* port 80 is the setup page's now */
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    ESP_RETURN_ON_ERROR(httpd_start(&s_server, &config), TAG, "httpd_start");
    static const httpd_uri_t routes[] = {
        { .uri = "/", .method = HTTP_GET, .handler = form_get },
        { .uri = "/", .method = HTTP_POST, .handler = form_post },
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        ESP_RETURN_ON_ERROR(httpd_register_uri_handler(s_server, &routes[i]), TAG, "register %s", routes[i].uri);
    }
    return ESP_OK;
}

esp_err_t setup_portal_start(void)
{
    esp_netif_t *ap_netif = esp_netif_create_default_wifi_ap();
    ESP_RETURN_ON_ERROR(esp_event_handler_instance_register(WIFI_EVENT, WIFI_EVENT_AP_STACONNECTED, on_ap_event,
                                                            NULL, NULL), TAG, "register");
    ESP_RETURN_ON_ERROR(esp_event_handler_instance_register(WIFI_EVENT, WIFI_EVENT_AP_STADISCONNECTED, on_ap_event,
                                                            NULL, NULL), TAG, "register");
    esp_err_t err = esp_wifi_stop();  /* the station, if it was started */
    if (err != ESP_OK && err != ESP_ERR_WIFI_NOT_INIT) {
        return err;
    }
    const char *ssid = CONFIG_WIFI_MANAGER_SETUP_SSID;
    const char *password = CONFIG_WIFI_MANAGER_SETUP_PASSWORD;
    wifi_config_t config = {
        .ap = {
            .channel = CONFIG_WIFI_MANAGER_SETUP_CHANNEL,
            .max_connection = 4,
            .authmode = password[0] != '\0' ? WIFI_AUTH_WPA2_PSK : WIFI_AUTH_OPEN,
        },
    };
    config.ap.ssid_len = (uint8_t)strnlen(ssid, sizeof config.ap.ssid);
    memcpy(config.ap.ssid, ssid, config.ap.ssid_len);
    memcpy(config.ap.password, password, strnlen(password, sizeof config.ap.password));
    ESP_RETURN_ON_ERROR(esp_wifi_set_mode(WIFI_MODE_AP), TAG, "set_mode");
    ESP_RETURN_ON_ERROR(esp_wifi_set_config(WIFI_IF_AP, &config), TAG, "set_config");
    ESP_RETURN_ON_ERROR(esp_wifi_start(), TAG, "esp_wifi_start");
    ESP_RETURN_ON_ERROR(start_page(), TAG, "setup page");
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_get_ip_info(ap_netif, &ip);
    ESP_LOGI(TAG, "setup AP \"%s\" on channel %d: join it and open http://" IPSTR "/", ssid,
             CONFIG_WIFI_MANAGER_SETUP_CHANNEL, IP2STR(&ip.ip));
    return ESP_OK;
}

#endif /* CONFIG_WIFI_MANAGER */
