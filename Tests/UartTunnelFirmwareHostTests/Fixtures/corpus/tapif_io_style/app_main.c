/*
 * Bring-up in the shape of the tapif_io example's connect function: inherent,
 * driver and stack configs put together by hand (Ethernet netstack), the netif
 * attached to the driver object, its MAC set, then start and connected.
 */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "lwip/etharp.h"
#include "lwip/tcpip.h"
#include "uart_io.h"

#define UART_IO_GOT_IP 0x4242  /* an event id of our own, as the tap example uses */

static const char *TAG = "uart_io_connect";

/* Posted after connected: the default loop delivers in posting order, so by the time this one runs every
 * event that start/connected posted has run too. */
ESP_EVENT_DEFINE_BASE(UART_IO_PROBE);

static void on_probe(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)id;
    (void)data;
    ESP_LOGI(TAG, "probe event delivered");
}

static void on_ip_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)data;
    ESP_LOGI(TAG, "IP_EVENT %d", (int)id);
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, ESP_EVENT_ANY_ID, on_ip_event, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(UART_IO_PROBE, 0, on_probe, NULL));

    void *io = uart_io_create();
    assert(io != NULL);

    esp_netif_ip_info_t ip_info = { 0 };
    ip_info.ip.addr = ESP_IP4TOADDR(192, 168, 100, 2);
    ip_info.netmask.addr = ESP_IP4TOADDR(255, 255, 255, 0);
    ip_info.gw.addr = ESP_IP4TOADDR(192, 168, 100, 1);
    const esp_netif_inherent_config_t base_cfg = {
        .if_key = "UART_IO",
        .if_desc = "uart-io",
        .ip_info = &ip_info,
        .flags = ESP_NETIF_FLAG_EVENT_IP_MODIFIED | ESP_NETIF_FLAG_AUTOUP,
        .get_ip_event = UART_IO_GOT_IP,
        .route_prio = 100,
    };
    const esp_netif_config_t cfg = {
        .base = &base_cfg,
        .driver = NULL,  /* the driver fills it in post_attach */
        .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH,
    };
    esp_netif_t *netif = esp_netif_new(&cfg);
    assert(netif != NULL);
    ESP_ERROR_CHECK(esp_netif_attach(netif, io));

    uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
    ESP_ERROR_CHECK(esp_netif_set_mac(netif, mac));
    esp_netif_action_start(netif, NULL, 0, NULL);
    esp_netif_action_connected(netif, NULL, 0, NULL);
    ESP_ERROR_CHECK(esp_event_post(UART_IO_PROBE, 0, NULL, 0, portMAX_DELAY));

    ip4_addr_t gw = { .addr = ip_info.gw.addr };
    struct eth_addr host = { .addr = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
    LOCK_TCPIP_CORE();
    const err_t arp = etharp_add_static_entry(&gw, &host);
    UNLOCK_TCPIP_CORE();
    ESP_LOGI(TAG, "static ARP entry for the gateway: %d", (int)arp);
    ESP_LOGI(TAG, "uart-io up, default netif %s", esp_netif_get_default_netif() == netif ? "yes" : "no");
}
