/*
 * Bring-up as in the tapif_io style: Ethernet netstack, driver object attached,
 * MAC set, start, connected, static gateway entry.
 */
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "lwip/etharp.h"
#include "lwip/tcpip.h"

void *uart_evt_netif_create(void);

static const char *TAG = "uart_evt_app";

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());

    static const esp_netif_ip_info_t ip_info = {
        .ip = { .addr = ESP_IP4TOADDR(192, 168, 100, 2) },
        .netmask = { .addr = ESP_IP4TOADDR(255, 255, 255, 0) },
        .gw = { .addr = ESP_IP4TOADDR(192, 168, 100, 1) },
    };
    const esp_netif_inherent_config_t base_cfg = {
        .if_key = "UART_EVT",
        .if_desc = "uart-evt",
        .ip_info = &ip_info,
        .flags = ESP_NETIF_FLAG_AUTOUP,
        .route_prio = 100,
    };
    const esp_netif_config_t cfg = { .base = &base_cfg, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    esp_netif_t *netif = esp_netif_new(&cfg);
    assert(netif != NULL);
    ESP_ERROR_CHECK(esp_netif_attach(netif, uart_evt_netif_create()));
    uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
    ESP_ERROR_CHECK(esp_netif_set_mac(netif, mac));
    esp_netif_action_start(netif, NULL, 0, NULL);
    esp_netif_action_connected(netif, NULL, 0, NULL);

    ip4_addr_t gw = { .addr = ip_info.gw.addr };
    struct eth_addr host = { .addr = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
    LOCK_TCPIP_CORE();
    const err_t arp = etharp_add_static_entry(&gw, &host);
    UNLOCK_TCPIP_CORE();
    ESP_LOGI(TAG, "static ARP entry for the gateway: %d", (int)arp);
}
