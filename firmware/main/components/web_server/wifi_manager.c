/*
 * The Wi-Fi manager of a board build (CONFIG_TARGET_EMULATOR=n), after ESP-IDF v5.4's
 * examples/wifi/getting_started/station (default STA netif, default event loop, one handler
 * for WIFI_EVENT and IP_EVENT) with the reconnect strategy docs/en/api-guides/wifi.rst
 * ("Wi-Fi Reconnect") leaves to the application: esp_wifi_connect never retries by itself,
 * so on WIFI_EVENT_STA_DISCONNECTED this manager waits (doubling from
 * CONFIG_WIFI_MANAGER_RETRY_INITIAL_MS up to _MAX_MS) and calls it again.
 *
 * Handlers run on the default loop's task and only queue what happened; the manager's own
 * task owns the state, waits the back-off and calls esp_wifi_* (never blocking the loop).
 * Until the first address since boot, CONFIG_WIFI_MANAGER_ATTEMPTS failures in a row mean
 * the stored network is wrong or gone: the setup AP takes over (setup_portal.c).
 *
 * Log lines (tag "wifi_manager"), one per step, kept stable for tests and `check wifi`:
 *   stored network "SSID"            | no network stored: starting the setup AP
 *   attempt N: connecting to "SSID"
 *   disconnected from "SSID": reason R (NAME), failure F[ of M]
 *   retry in D ms
 *   connected to "SSID": ip A.B.C.D, rssi X
 *   M failed attempts: starting the setup AP
 */
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER

#include "wifi_manager.h"

#include <inttypes.h>
#include <string.h>

#include "esp_check.h"
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "setup_portal.h"
#include "web_server.h"
#include "wifi_credentials.h"
#include "wifi_reason.h"

static const char *TAG = "wifi_manager";

typedef enum { EV_STA_START, EV_DISCONNECTED, EV_GOT_IP } event_kind_t;

typedef struct {
    event_kind_t kind;
    uint8_t reason;            /* EV_DISCONNECTED */
    esp_ip4_addr_t ip;         /* EV_GOT_IP */
} manager_event_t;

static QueueHandle_t s_events;
static SemaphoreHandle_t s_status_lock;
static wifi_manager_status_t s_status;  /* written by the manager task under s_status_lock */
static wifi_credentials_t s_network;
static bool s_ever_connected;

const char *wifi_manager_state_name(wifi_manager_state_t state)
{
    switch (state) {
    case WIFI_MANAGER_CONNECTING: return "connecting";
    case WIFI_MANAGER_WAITING: return "waiting";
    case WIFI_MANAGER_CONNECTED: return "connected";
    case WIFI_MANAGER_SETUP_AP: return "setup-ap";
    }
    return "unknown";
}

void wifi_manager_get_status(wifi_manager_status_t *out)
{
    xSemaphoreTake(s_status_lock, portMAX_DELAY);
    *out = s_status;
    xSemaphoreGive(s_status_lock);
    wifi_ap_record_t ap;
    if (out->state == WIFI_MANAGER_CONNECTED && esp_wifi_sta_get_ap_info(&ap) == ESP_OK) {
        out->rssi = ap.rssi;
    }
}

static void set_state(wifi_manager_state_t state, uint32_t next_retry_ms)
{
    xSemaphoreTake(s_status_lock, portMAX_DELAY);
    s_status.state = state;
    s_status.next_retry_ms = next_retry_ms;
    xSemaphoreGive(s_status_lock);
}

static void queue_event(const manager_event_t *event)
{
    if (xQueueSend(s_events, event, 0) != pdTRUE) {
        ESP_LOGE(TAG, "event queue full: event %d lost", (int)event->kind);
    }
}

/* Default event loop task: note what happened, nothing more. */
static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        queue_event(&(manager_event_t){ .kind = EV_STA_START });
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        const wifi_event_sta_disconnected_t *event = data;
        queue_event(&(manager_event_t){ .kind = EV_DISCONNECTED, .reason = event->reason });
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *event = data;
        queue_event(&(manager_event_t){ .kind = EV_GOT_IP, .ip = event->ip_info.ip });
    }
}

/* The wait before the next attempt after `failures` in a row: initial, doubled each time, capped. */
static uint32_t backoff_ms(uint32_t failures)
{
    uint32_t delay = CONFIG_WIFI_MANAGER_RETRY_INITIAL_MS;
    for (uint32_t i = 1; i < failures && delay < CONFIG_WIFI_MANAGER_RETRY_MAX_MS; i++) {
        delay *= 2;
    }
    return delay < CONFIG_WIFI_MANAGER_RETRY_MAX_MS ? delay : CONFIG_WIFI_MANAGER_RETRY_MAX_MS;
}

static void connect(void)
{
    xSemaphoreTake(s_status_lock, portMAX_DELAY);
    const uint32_t attempt = ++s_status.attempts;
    s_status.state = WIFI_MANAGER_CONNECTING;
    s_status.next_retry_ms = 0;
    xSemaphoreGive(s_status_lock);
    ESP_LOGI(TAG, "attempt %" PRIu32 ": connecting to \"%s\"", attempt, s_network.ssid);
    esp_err_t err = esp_wifi_connect();
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "esp_wifi_connect: %s", esp_err_to_name(err));
    }
}

/* false: give up on the station and start the setup AP. */
static bool disconnected(uint8_t reason)
{
    xSemaphoreTake(s_status_lock, portMAX_DELAY);
    const uint32_t failures = ++s_status.failures;
    s_status.last_reason = reason;
    xSemaphoreGive(s_status_lock);
    if (s_ever_connected) {
        ESP_LOGW(TAG, "disconnected from \"%s\": reason %u (%s), failure %" PRIu32, s_network.ssid, reason,
                 wifi_reason_name(reason), failures);
    } else {
        ESP_LOGW(TAG, "disconnected from \"%s\": reason %u (%s), failure %" PRIu32 " of %d", s_network.ssid, reason,
                 wifi_reason_name(reason), failures, CONFIG_WIFI_MANAGER_ATTEMPTS);
        if (failures >= CONFIG_WIFI_MANAGER_ATTEMPTS) {
            ESP_LOGW(TAG, "%" PRIu32 " failed attempts: starting the setup AP", failures);
            return false;
        }
    }
    const uint32_t delay = backoff_ms(failures);
    set_state(WIFI_MANAGER_WAITING, delay);
    ESP_LOGI(TAG, "retry in %" PRIu32 " ms", delay);
    vTaskDelay(pdMS_TO_TICKS(delay));
    connect();
    return true;
}

static void got_ip(esp_ip4_addr_t ip)
{
    s_ever_connected = true;
    xSemaphoreTake(s_status_lock, portMAX_DELAY);
    s_status.failures = 0;
    s_status.connects++;
    s_status.state = WIFI_MANAGER_CONNECTED;
    xSemaphoreGive(s_status_lock);
    int rssi = 0;
    esp_wifi_sta_get_rssi(&rssi);
    ESP_LOGI(TAG, "connected to \"%s\": ip " IPSTR ", rssi %d", s_network.ssid, IP2STR(&ip), rssi);
    esp_err_t err = web_server_start();  /* once; it serves every later address too */
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "web server: %s", esp_err_to_name(err));
    }
}

static void manager_task(void *arg)
{
    (void)arg;
    for (;;) {
        manager_event_t event;
        xQueueReceive(s_events, &event, portMAX_DELAY);
        bool keep_station = true;
        switch (event.kind) {
        case EV_STA_START: connect(); break;
        case EV_GOT_IP: got_ip(event.ip); break;
        case EV_DISCONNECTED: keep_station = disconnected(event.reason); break;
        }
        if (!keep_station) {
            break;
        }
    }
    set_state(WIFI_MANAGER_SETUP_AP, 0);
    esp_err_t err = setup_portal_start();
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "setup AP: %s", esp_err_to_name(err));
    }
    vTaskDelete(NULL);
}

static esp_err_t start_station(void)
{
    wifi_config_t config = { 0 };
    memcpy(config.sta.ssid, s_network.ssid, strnlen(s_network.ssid, sizeof config.sta.ssid));
    memcpy(config.sta.password, s_network.password, strnlen(s_network.password, sizeof config.sta.password));
    /* WPA2 or better unless the stored network is open (the station example's default threshold) */
    config.sta.threshold.authmode = s_network.password[0] != '\0' ? WIFI_AUTH_WPA2_PSK : WIFI_AUTH_OPEN;
    ESP_RETURN_ON_ERROR(esp_wifi_set_mode(WIFI_MODE_STA), TAG, "set_mode");
    ESP_RETURN_ON_ERROR(esp_wifi_set_config(WIFI_IF_STA, &config), TAG, "set_config");
    return esp_wifi_start();  /* WIFI_EVENT_STA_START: the first attempt */
}

esp_err_t wifi_manager_start(void)
{
    ESP_RETURN_ON_ERROR(esp_netif_init(), TAG, "esp_netif_init");
    esp_err_t err = esp_event_loop_create_default();
    if (err != ESP_OK && err != ESP_ERR_INVALID_STATE) {  /* INVALID_STATE: another component made it */
        ESP_LOGE(TAG, "esp_event_loop_create_default: %s", esp_err_to_name(err));
        return err;
    }
    esp_netif_create_default_wifi_sta();
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_RETURN_ON_ERROR(esp_wifi_init(&init), TAG, "esp_wifi_init");
    /* the network lives in our NVS keys (wifi_credentials.c); esp_wifi keeps no second copy */
    ESP_RETURN_ON_ERROR(esp_wifi_set_storage(WIFI_STORAGE_RAM), TAG, "set_storage");
    ESP_RETURN_ON_ERROR(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL),
                        TAG, "register WIFI_EVENT");
    ESP_RETURN_ON_ERROR(esp_event_handler_instance_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL, NULL),
                        TAG, "register IP_EVENT");

    s_events = xQueueCreate(8, sizeof(manager_event_t));
    s_status_lock = xSemaphoreCreateMutex();
    if (s_events == NULL || s_status_lock == NULL) {
        return ESP_ERR_NO_MEM;
    }
    if (!wifi_credentials_load(&s_network)) {
        ESP_LOGI(TAG, "no network stored: starting the setup AP");
        s_status.state = WIFI_MANAGER_SETUP_AP;
        return setup_portal_start();
    }
    memcpy(s_status.ssid, s_network.ssid, sizeof s_status.ssid);
    ESP_LOGI(TAG, "stored network \"%s\"", s_network.ssid);
    if (xTaskCreate(manager_task, "wifi_manager", 4096, NULL, 5, NULL) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return start_station();
}

#endif /* CONFIG_WIFI_MANAGER */
