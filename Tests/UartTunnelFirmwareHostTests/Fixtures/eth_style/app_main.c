/*
 * An application that brings up serial_eth the way ESP-IDF's Ethernet examples
 * bring up esp_eth: default event loop, ESP_NETIF_DEFAULT_ETH(), attach the
 * driver, static address, start + connected, and wait for IP_EVENT_ETH_GOT_IP.
 */
#include <assert.h>
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_net_stack.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/etharp.h"
#include "lwip/tcpip.h"
#include "nvs_flash.h"
#include "serial_eth.h"

static const char *TAG = "eth_app";
static volatile bool s_got_ip;

static void on_got_ip(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    const ip_event_got_ip_t *event = data;
    ESP_LOGI(TAG, "got ip " IPSTR " gw " IPSTR, IP2STR(&event->ip_info.ip), IP2STR(&event->ip_info.gw));
    s_got_ip = true;
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_ETH_GOT_IP, on_got_ip, NULL));

    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.flags &= ~ESP_NETIF_FLAG_GARP;
    const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
    memcpy(base.mac, mac, sizeof mac);
    esp_netif_config_t config = ESP_NETIF_DEFAULT_ETH();
    config.base = &base;
    esp_netif_t *netif = esp_netif_new(&config);
    assert(netif != NULL);

    serial_eth_config_t serial = SERIAL_ETH_DEFAULT_CONFIG();
    serial_eth_driver_t *driver = NULL;
    ESP_ERROR_CHECK(serial_eth_new(&serial, &driver));
    ESP_ERROR_CHECK(esp_netif_attach(netif, driver));
    /* base.mac is esp_netif's record only: ESP-IDF v5.4 writes lwIP's hwaddr in esp_netif_set_mac alone
     * (esp_eth's glue does this on ETHERNET_EVENT_START); without it frames leave with source 00:00:00:00:00:00. */
    ESP_ERROR_CHECK(esp_netif_set_mac(netif, (uint8_t *)mac));

    ESP_ERROR_CHECK(esp_netif_dhcpc_stop(netif));
    esp_netif_ip_info_t ip = { 0 };
    ip.ip.addr = ESP_IP4TOADDR(192, 168, 100, 2);
    ip.netmask.addr = ESP_IP4TOADDR(255, 255, 255, 0);
    ip.gw.addr = ESP_IP4TOADDR(192, 168, 100, 1);
    ESP_ERROR_CHECK(esp_netif_set_ip_info(netif, &ip));

    esp_netif_action_start(netif, NULL, 0, NULL);
    esp_netif_action_connected(netif, NULL, 0, NULL);

    ip4_addr_t gw = { .addr = ip.gw.addr };
    struct eth_addr gw_mac = { .addr = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
    LOCK_TCPIP_CORE();
    err_t err = etharp_add_static_entry(&gw, &gw_mac);
    UNLOCK_TCPIP_CORE();
    ESP_LOGI(TAG, "static ARP for the gateway: %d", (int)err);

    for (int i = 0; i < 100 && !s_got_ip; i++) {
        vTaskDelay(pdMS_TO_TICKS(10));
    }
    ESP_LOGI(TAG, "serial_eth up: %s", s_got_ip ? "IP_EVENT_ETH_GOT_IP received" : "no GOT_IP event");
}
