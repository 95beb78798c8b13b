/*
 * The application around the wired netif: stack, default loop, an IP event logger,
 * the netif, and the seed's static gateway entry.  A probe event posted last shows
 * when every event the bring-up posted has been delivered (one loop, posting order).
 */
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "lwip/etharp.h"
#include "lwip/tcpip.h"
#include "wired_iface.h"

static const char *TAG = "wired_app";

ESP_EVENT_DEFINE_BASE(WIRED_PROBE);

static void on_ip_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)data;
    ESP_LOGI(TAG, "IP_EVENT %d", (int)id);
}

static void on_probe(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)id;
    (void)data;
    ESP_LOGI(TAG, "probe event delivered");
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, ESP_EVENT_ANY_ID, on_ip_event, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(WIRED_PROBE, 0, on_probe, NULL));
    ESP_ERROR_CHECK(wired_netif_init());

    esp_netif_t *netif = wired_netif();
    ip4_addr_t gw = { .addr = ESP_IP4TOADDR(192, 168, 100, 1) };
    struct eth_addr host = { .addr = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
    LOCK_TCPIP_CORE();
    const err_t arp = etharp_add_static_entry(&gw, &host);
    UNLOCK_TCPIP_CORE();
    ESP_LOGI(TAG, "static ARP entry for the gateway: %d", (int)arp);
    ESP_LOGI(TAG, "wired netif up: %s, default netif: %s", esp_netif_is_netif_up(netif) ? "yes" : "no",
             esp_netif_get_default_netif() == netif ? "wired" : "other");
    ESP_ERROR_CHECK(esp_event_post(WIRED_PROBE, 0, NULL, 0, portMAX_DELAY));
}
