/*
 * The default Wi-Fi netifs and their event handlers, as ESP-IDF v5.4's wifi_default.c
 * sets them up: esp_netif_create_default_wifi_sta/ap make the netif from
 * ESP_NETIF_DEFAULT_WIFI_STA/AP, attach the Wi-Fi driver (ESP_ERROR_CHECK) and register,
 * once, the handlers
 *   WIFI_EVENT_STA_START     → MAC from the driver into the netif, esp_netif_action_start
 *   WIFI_EVENT_STA_STOP      → esp_netif_action_stop
 *   WIFI_EVENT_STA_CONNECTED → esp_netif_action_connected (netif up, DHCP client started)
 *   WIFI_EVENT_STA_DISCONNECTED → esp_netif_action_disconnected (netif and link down)
 *   WIFI_EVENT_AP_START/STOP → as STA_START/STOP for the soft-AP netif
 *   IP_EVENT_STA_GOT_IP      → esp_netif_action_got_ip (the "sta ip: …" line)
 * and esp_wifi_stop as a shutdown handler (esp_restart stops Wi-Fi first),
 * on the default event loop, so the application's own handlers run after them when
 * registered later, as on the chip.
 */
#include "wifi/wifi.h"

#include <assert.h>

#include "esp_system.h"

static const char *TAG = "wifi_init_default";

static esp_netif_t *s_netifs[2];
static bool s_handlers_set;

static void wifi_start(esp_netif_t *esp_netif, wifi_interface_t wifi_if, esp_event_base_t base, int32_t id,
                       void *data)
{
    uint8_t mac[6];
    esp_err_t ret = esp_wifi_get_mac(wifi_if, mac);
    if (ret != ESP_OK) {
        host_log_line(ESP_LOG_ERROR, TAG, "esp_wifi_get_mac failed with %d", ret);
        return;
    }
    esp_netif_set_mac(esp_netif, mac);
    esp_netif_action_start(esp_netif, base, id, data);
}

static void sta_start(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_STA] != NULL) {
        wifi_start(s_netifs[WIFI_IF_STA], WIFI_IF_STA, base, id, data);
    }
}

static void sta_stop(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_STA] != NULL) {
        esp_netif_action_stop(s_netifs[WIFI_IF_STA], base, id, data);
    }
}

static void sta_connected(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_STA] != NULL) {
        esp_netif_action_connected(s_netifs[WIFI_IF_STA], base, id, data);
    }
}

static void sta_disconnected(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_STA] != NULL) {
        esp_netif_action_disconnected(s_netifs[WIFI_IF_STA], base, id, data);
    }
}

static void ap_start(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_AP] != NULL) {
        wifi_start(s_netifs[WIFI_IF_AP], WIFI_IF_AP, base, id, data);
    }
}

static void ap_stop(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_AP] != NULL) {
        esp_netif_action_stop(s_netifs[WIFI_IF_AP], base, id, data);
    }
}

static void sta_got_ip(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (s_netifs[WIFI_IF_STA] != NULL) {
        esp_netif_action_got_ip(s_netifs[WIFI_IF_STA], base, id, data);
    }
}

static void clear_handlers(void)
{
    esp_event_handler_unregister(WIFI_EVENT, WIFI_EVENT_STA_START, sta_start);
    esp_event_handler_unregister(WIFI_EVENT, WIFI_EVENT_STA_STOP, sta_stop);
    esp_event_handler_unregister(WIFI_EVENT, WIFI_EVENT_STA_CONNECTED, sta_connected);
    esp_event_handler_unregister(WIFI_EVENT, WIFI_EVENT_STA_DISCONNECTED, sta_disconnected);
    esp_event_handler_unregister(WIFI_EVENT, WIFI_EVENT_AP_START, ap_start);
    esp_event_handler_unregister(WIFI_EVENT, WIFI_EVENT_AP_STOP, ap_stop);
    esp_event_handler_unregister(IP_EVENT, IP_EVENT_STA_GOT_IP, sta_got_ip);
    esp_unregister_shutdown_handler((shutdown_handler_t)esp_wifi_stop);
    s_handlers_set = false;
}

static esp_err_t set_handlers(void)
{
    if (s_handlers_set) {
        return ESP_OK;
    }
    struct {
        esp_event_base_t base;
        int32_t id;
        esp_event_handler_t handler;
    } const table[] = {
        { WIFI_EVENT, WIFI_EVENT_STA_START, sta_start },
        { WIFI_EVENT, WIFI_EVENT_STA_STOP, sta_stop },
        { WIFI_EVENT, WIFI_EVENT_STA_CONNECTED, sta_connected },
        { WIFI_EVENT, WIFI_EVENT_STA_DISCONNECTED, sta_disconnected },
        { WIFI_EVENT, WIFI_EVENT_AP_START, ap_start },
        { WIFI_EVENT, WIFI_EVENT_AP_STOP, ap_stop },
        { IP_EVENT, IP_EVENT_STA_GOT_IP, sta_got_ip },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        esp_err_t err = esp_event_handler_register(table[i].base, table[i].id, table[i].handler, NULL);
        if (err != ESP_OK) {
            clear_handlers();
            return err;  /* e.g. ESP_ERR_INVALID_STATE: esp_event_loop_create_default was not called */
        }
    }
    /* esp_restart stops Wi-Fi first, as v5.4 registers it (already registered is fine) */
    esp_err_t err = esp_register_shutdown_handler((shutdown_handler_t)esp_wifi_stop);
    if (err != ESP_OK && err != ESP_ERR_INVALID_STATE) {
        clear_handlers();
        return err;
    }
    s_handlers_set = true;
    return ESP_OK;
}

esp_err_t esp_wifi_set_default_wifi_sta_handlers(void)
{
    return set_handlers();
}

esp_err_t esp_wifi_set_default_wifi_ap_handlers(void)
{
    return set_handlers();
}

static esp_err_t attach(esp_netif_t *esp_netif, wifi_interface_t wifi_if)
{
    if (esp_netif == NULL || (wifi_if != WIFI_IF_STA && wifi_if != WIFI_IF_AP)) {
        return ESP_ERR_INVALID_ARG;
    }
    s_netifs[wifi_if] = esp_netif;
    void *driver = host_wifi_driver_create(wifi_if);
    if (driver == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "Failed to create wifi interface handle");
        return ESP_FAIL;
    }
    return esp_netif_attach(esp_netif, driver);
}

esp_err_t esp_netif_attach_wifi_station(esp_netif_t *esp_netif)
{
    return attach(esp_netif, WIFI_IF_STA);
}

esp_err_t esp_netif_attach_wifi_ap(esp_netif_t *esp_netif)
{
    return attach(esp_netif, WIFI_IF_AP);
}

esp_err_t esp_wifi_clear_default_wifi_driver_and_handlers(void *esp_netif)
{
    for (int i = 0; i < 2; i++) {
        if (s_netifs[i] == esp_netif) {
            s_netifs[i] = NULL;
        }
    }
    if (s_netifs[0] == NULL && s_netifs[1] == NULL) {
        clear_handlers();
    }
    void *driver = esp_netif_get_io_driver(esp_netif);
    esp_netif_driver_ifconfig_t none = { 0 };
    esp_err_t ret = esp_netif_set_driver_config(esp_netif, &none);
    host_wifi_driver_destroy(driver);
    return ret;
}

esp_netif_t *esp_netif_create_default_wifi_sta(void)
{
    esp_netif_config_t cfg = ESP_NETIF_DEFAULT_WIFI_STA();
    esp_netif_t *netif = esp_netif_new(&cfg);
    assert(netif);
    ESP_ERROR_CHECK(esp_netif_attach_wifi_station(netif));
    ESP_ERROR_CHECK(esp_wifi_set_default_wifi_sta_handlers());
    return netif;
}

esp_netif_t *esp_netif_create_default_wifi_ap(void)
{
    esp_netif_config_t cfg = ESP_NETIF_DEFAULT_WIFI_AP();
    esp_netif_t *netif = esp_netif_new(&cfg);
    assert(netif);
    ESP_ERROR_CHECK(esp_netif_attach_wifi_ap(netif));
    ESP_ERROR_CHECK(esp_wifi_set_default_wifi_ap_handlers());
    return netif;
}

void esp_netif_destroy_default_wifi(void *esp_netif)
{
    if (esp_netif != NULL) {
        esp_wifi_clear_default_wifi_driver_and_handlers(esp_netif);
    }
    esp_netif_destroy(esp_netif);
}

esp_netif_t *esp_netif_create_wifi(wifi_interface_t wifi_if, const esp_netif_inherent_config_t *esp_netif_config)
{
    esp_netif_config_t cfg = { .base = esp_netif_config };
    if (wifi_if == WIFI_IF_STA) {
        cfg.stack = ESP_NETIF_NETSTACK_DEFAULT_WIFI_STA;
    } else if (wifi_if == WIFI_IF_AP) {
        cfg.stack = ESP_NETIF_NETSTACK_DEFAULT_WIFI_AP;
    } else {
        return NULL;
    }
    esp_netif_t *netif = esp_netif_new(&cfg);
    if (netif == NULL) {
        return NULL;
    }
    attach(netif, wifi_if);
    return netif;
}

esp_err_t esp_netif_create_default_wifi_mesh_netifs(esp_netif_t **p_netif_sta, esp_netif_t **p_netif_ap)
{
    (void)p_netif_sta;
    (void)p_netif_ap;
    return ESP_ERR_NOT_SUPPORTED;  /* no mesh on the host */
}
