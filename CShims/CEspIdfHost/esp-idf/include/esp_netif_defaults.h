/*
 * esp_netif_defaults.h on the host: ESP-IDF's Ethernet defaults.  Only the
 * Ethernet netif exists on the host (no Wi-Fi, no PPP), so only its macros are here.
 */
#ifndef ESP_IDF_HOST_ESP_NETIF_DEFAULTS_H
#define ESP_IDF_HOST_ESP_NETIF_DEFAULTS_H

#include "esp_netif_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
#define _ESP_NETIF_EMPTY_AGGREGATE_MEMBER(item) .item = { },
#else
#define _ESP_NETIF_EMPTY_AGGREGATE_MEMBER(item)
#endif

#define ESP_NETIF_INHERENT_DEFAULT_ETH() \
    {   \
        .flags = (esp_netif_flags_t)(ESP_NETIF_DHCP_CLIENT | ESP_NETIF_FLAG_GARP | ESP_NETIF_FLAG_EVENT_IP_MODIFIED), \
        _ESP_NETIF_EMPTY_AGGREGATE_MEMBER(mac) \
        .ip_info = NULL, \
        .get_ip_event = IP_EVENT_ETH_GOT_IP, \
        .lost_ip_event = IP_EVENT_ETH_LOST_IP, \
        .if_key = "ETH_DEF", \
        .if_desc = "eth", \
        .route_prio = 50, \
        .bridge_info = NULL \
    }

#define ESP_NETIF_DEFAULT_ETH()                  \
    {                                            \
        .base = ESP_NETIF_BASE_DEFAULT_ETH,      \
        .driver = NULL,                          \
        .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH, \
    }

#define ESP_NETIF_BASE_DEFAULT_ETH &_g_esp_netif_inherent_eth_config
#define ESP_NETIF_NETSTACK_DEFAULT_ETH _g_esp_netif_netstack_default_eth

/* lwIP Ethernet: init ethernetif_init, input ethernetif_input (see esp_netif_net_stack.h). */
extern const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_eth;
extern const esp_netif_inherent_config_t _g_esp_netif_inherent_eth_config;

#ifdef __cplusplus
}
#endif

#endif
