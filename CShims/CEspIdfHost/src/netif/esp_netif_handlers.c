/*
 * The esp_netif_action_* event handlers, as ESP-IDF v5.4's esp_netif_handlers.c runs
 * them: thin wrappers over esp_netif_start/stop/up/down.  action_connected posts GOT_IP
 * itself only for a netif with ESP_NETIF_DHCP_CLIENT whose client was stopped and which
 * has a valid static address; a netif without the DHCP-client flag gets no event here.
 */
#include "netif/netif.h"

#include <string.h>

#include "esp_event.h"
#include "esp_log.h"

static const char *TAG = "esp_netif_handlers";

void esp_netif_action_start(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)data;
    host_log_line(ESP_LOG_DEBUG, TAG, "esp_netif action has started with netif%p from event_id=%d",
                          esp_netif, (int)event_id);
    esp_netif_start(esp_netif);
}

void esp_netif_action_stop(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_stop(esp_netif);
}

void esp_netif_action_connected(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)data;
    esp_netif_t *esp_netif = arg;
    host_log_line(ESP_LOG_DEBUG, TAG, "esp_netif action connected with netif%p from event_id=%d",
                          arg, (int)event_id);
    esp_netif_up(esp_netif);
    if (!(esp_netif_get_flags(esp_netif) & ESP_NETIF_DHCP_CLIENT)) {
        return;
    }
    esp_netif_dhcp_status_t status;
    esp_err_t err = esp_netif_dhcpc_get_status(esp_netif, &status);
    if (err != ESP_OK) {
        host_log_line(ESP_LOG_ERROR, TAG, "%s %d %s ret=0x%X", __func__, __LINE__,
                              "connected action: dhcpc failed", err);
        return;
    }
    if (status == ESP_NETIF_DHCP_INIT) {
        esp_netif_dhcpc_start(esp_netif);
    } else if (status == ESP_NETIF_DHCP_STOPPED) {
        esp_netif_ip_info_t ip, old_ip;
        esp_netif_get_ip_info(esp_netif, &ip);
        esp_netif_get_old_ip_info(esp_netif, &old_ip);
        if (esp_netif_is_valid_static_ip(&ip)) {
            ip_event_got_ip_t event = { .esp_netif = esp_netif, .ip_changed = memcmp(&ip, &old_ip, sizeof ip) != 0 };
            event.ip_info = ip;
            esp_netif_set_old_ip_info(esp_netif, &ip);
            err = esp_event_post(IP_EVENT, esp_netif_get_event_id(esp_netif, ESP_NETIF_IP_EVENT_GOT_IP), &event,
                                 sizeof event, 0);
            if (err != ESP_OK) {
                host_log_line(ESP_LOG_ERROR, TAG, "%s %d %s ret=0x%X", __func__, __LINE__,
                                      "esp_event_post in esp_netif_action_connected", err);
            }
        } else {
            host_log_line(ESP_LOG_ERROR, TAG, "invalid static ip");
        }
    }
}

void esp_netif_action_disconnected(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_down(esp_netif);
}

void esp_netif_action_got_ip(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    const ip_event_got_ip_t *event = data;
    host_log_line(ESP_LOG_INFO, TAG, "%s ip: " IPSTR ", mask: " IPSTR ", gw: " IPSTR,
                          esp_netif_get_desc(esp_netif), IP2STR(&event->ip_info.ip), IP2STR(&event->ip_info.netmask),
                          IP2STR(&event->ip_info.gw));
}
