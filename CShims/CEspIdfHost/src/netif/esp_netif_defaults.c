/*
 * ESP-IDF v5.4's default Ethernet configuration (esp_netif_lwip_defaults.c,
 * esp_netif_defaults.c): the lwIP netstack (ethernetif_init / ethernetif_input) and
 * the inherent config behind ESP_NETIF_BASE_DEFAULT_ETH.
 */
#include "netif/netif.h"

static const struct esp_netif_netstack_config s_eth_stack = {
    .lwip = { .init_fn = ethernetif_init, .input_fn = ethernetif_input },
};
const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_eth = &s_eth_stack;
const esp_netif_inherent_config_t _g_esp_netif_inherent_eth_config = ESP_NETIF_INHERENT_DEFAULT_ETH();
