/*
 * An eppp_link-style client flow over the UART transport: create the netif (the
 * SLIP/TUN-flavoured inherent config: IP_MODIFIED events only, the PPP GOT_IP event
 * id, a low route priority), attach, start, connected, then block on an event group
 * until IP_EVENT_PPP_GOT_IP (or a failure bit) before reporting "Connected".
 *
 * The variant header (-I waits or -I confirms) decides whether anything after
 * "connected" re-applies the address; see eppp_style_variant.h in each.
 */
#include <string.h>

#include "eppp_style_variant.h"
#include "eppp_uart_transport.h"
#include "esp_check.h"
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "lwip/etharp.h"
#include "lwip/tcpip.h"

static const int GOT_IPV4 = BIT0;
static const int CONNECTION_FAILED = BIT1;
#define CONNECT_BITS (GOT_IPV4 | CONNECTION_FAILED)

static const char *TAG = "eppp_style";
static EventGroupHandle_t s_event_group;

ESP_EVENT_DEFINE_BASE(EPPP_STYLE_PROBE);

static void on_ip_event(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)arg;
    (void)base;
    const ip_event_got_ip_t *event = data;
    if (event_id == IP_EVENT_PPP_GOT_IP) {
        ESP_LOGI(TAG, "IP_EVENT_PPP_GOT_IP: \"%s\" ip " IPSTR " mask " IPSTR " gw " IPSTR " ip_changed=%d",
                 esp_netif_get_desc(event->esp_netif), IP2STR(&event->ip_info.ip),
                 IP2STR(&event->ip_info.netmask), IP2STR(&event->ip_info.gw), event->ip_changed ? 1 : 0);
        xEventGroupSetBits(s_event_group, GOT_IPV4);
    } else if (event_id == IP_EVENT_PPP_LOST_IP) {
        ESP_LOGI(TAG, "IP_EVENT_PPP_LOST_IP");
        xEventGroupSetBits(s_event_group, CONNECTION_FAILED);
    } else {
        ESP_LOGI(TAG, "IP_EVENT %d", (int)event_id);
    }
}

static void on_probe(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)id;
    (void)data;
    ESP_LOGI(TAG, "probe event delivered");
}

#if EPPP_STYLE_CHECK_LINK
/* The peer answered: post the address again so that esp-netif announces it. */
static void on_link_confirmed(esp_netif_t *netif)
{
    ESP_LOGI(TAG, "link check: first frame from the peer -> post IP");
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_get_ip_info(netif, &ip);
    esp_netif_set_ip_info(netif, &ip);
}
#endif

static esp_netif_t *eppp_style_connect(void)
{
    s_event_group = xEventGroupCreate();
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, ESP_EVENT_ANY_ID, on_ip_event, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(EPPP_STYLE_PROBE, 0, on_probe, NULL));

#if EPPP_STYLE_CHECK_LINK
    eppp_uart_transport_handle_t transport = eppp_uart_transport_new(on_link_confirmed);
#else
    eppp_uart_transport_handle_t transport = eppp_uart_transport_new(NULL);
#endif
    assert(transport != NULL);

    esp_netif_ip_info_t ip4 = { 0 };
    ip4.ip.addr = ESP_IP4TOADDR(192, 168, 100, 2);
    ip4.gw.addr = ESP_IP4TOADDR(192, 168, 100, 1);
    ip4.netmask.addr = ESP_IP4TOADDR(255, 255, 255, 0);
    esp_netif_inherent_config_t base_cfg = {
        .flags = ESP_NETIF_FLAG_EVENT_IP_MODIFIED,
        .get_ip_event = IP_EVENT_PPP_GOT_IP,
        .lost_ip_event = IP_EVENT_PPP_LOST_IP,
        .if_key = "EPPP0",
        .if_desc = "pppos_client",
        .route_prio = 1,
    };
#if EPPP_STYLE_CHECK_LINK
    base_cfg.ip_info = &ip4;
#endif
    const esp_netif_config_t netif_config = {
        .base = &base_cfg,
        .driver = NULL,
        .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH,
    };
    esp_netif_t *netif = esp_netif_new(&netif_config);
    assert(netif != NULL);
    ESP_ERROR_CHECK(esp_netif_attach(netif, transport));
    uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
    ESP_ERROR_CHECK(esp_netif_set_mac(netif, mac));
#if !EPPP_STYLE_CHECK_LINK
    ESP_ERROR_CHECK(esp_netif_set_ip_info(netif, &ip4));
#endif

    esp_netif_action_start(netif, 0, 0, 0);
    esp_netif_action_connected(netif, 0, 0, 0);

    ip4_addr_t gw = { .addr = ip4.gw.addr };
    struct eth_addr host = { .addr = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
    LOCK_TCPIP_CORE();
    const err_t arp = etharp_add_static_entry(&gw, &host);
    UNLOCK_TCPIP_CORE();
    ESP_LOGI(TAG, "static ARP entry for the gateway: %d", (int)arp);
    ESP_ERROR_CHECK(esp_event_post(EPPP_STYLE_PROBE, 0, NULL, 0, portMAX_DELAY));

    ESP_LOGI(TAG, "Waiting for IP address");
    const EventBits_t bits = xEventGroupWaitBits(s_event_group, CONNECT_BITS, pdFALSE, pdFALSE, portMAX_DELAY);
    if (bits & CONNECTION_FAILED) {
        ESP_LOGE(TAG, "Connection failed!");
        return NULL;
    }
    ESP_LOGI(TAG, "Connected!");
    return netif;
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    esp_netif_t *netif = eppp_style_connect();
    ESP_LOGI(TAG, "eppp-style link %s", netif != NULL ? "ready" : "failed");
}
