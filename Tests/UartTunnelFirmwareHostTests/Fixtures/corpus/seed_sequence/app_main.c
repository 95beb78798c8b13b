/*
 * The seed's step 1 (wifi_manager_sim.c: network stack and default event loop),
 * then the tunnel driver.  The GOT_IP handler shows what esp_netif reported.
 */
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "netif_uart_tunnel.h"

static const char *TAG = "wifi_manager_sim";

static void on_ip_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    if (id == IP_EVENT_ETH_GOT_IP) {
        const ip_event_got_ip_t *event = data;
        ESP_LOGI(TAG, "IP_EVENT_ETH_GOT_IP: ip " IPSTR " mask " IPSTR " gw " IPSTR " ip_changed=%d",
                 IP2STR(&event->ip_info.ip), IP2STR(&event->ip_info.netmask), IP2STR(&event->ip_info.gw),
                 event->ip_changed ? 1 : 0);
    } else {
        ESP_LOGI(TAG, "IP_EVENT %d", (int)id);
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, ESP_EVENT_ANY_ID, on_ip_event, NULL));
    ESP_ERROR_CHECK(netif_uart_tunnel_init());
    ESP_LOGI(TAG, "network up: 192.168.100.2/24 via 192.168.100.1");
}
