/*
 * ESP-IDF v5.4's default Ethernet and Wi-Fi configurations (esp_netif_lwip_defaults.c,
 * esp_netif_defaults.c): the lwIP netstacks and the inherent configs behind
 * ESP_NETIF_BASE_DEFAULT_ETH / _WIFI_STA / _WIFI_AP.  v5.4's Wi-Fi netstack is wlanif
 * (wlanif_init_sta/ap, wlanif_input): an Ethernet netif as ethernetif is, so the host uses
 * ethernetif for both; the difference, transmit_wrap, is the Wi-Fi driver's to honour.
 */
#include "netif/netif.h"

static const struct esp_netif_netstack_config s_eth_stack = {
    .lwip = { .init_fn = ethernetif_init, .input_fn = ethernetif_input },
};
const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_eth = &s_eth_stack;
const esp_netif_inherent_config_t _g_esp_netif_inherent_eth_config = ESP_NETIF_INHERENT_DEFAULT_ETH();

const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_wifi_sta = &s_eth_stack;
const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_wifi_ap = &s_eth_stack;
const esp_netif_inherent_config_t _g_esp_netif_inherent_sta_config = ESP_NETIF_INHERENT_DEFAULT_WIFI_STA();
const esp_netif_ip_info_t _g_esp_netif_soft_ap_ip = {
    .ip = { .addr = ESP_IP4TOADDR(192, 168, 4, 1) },
    .gw = { .addr = ESP_IP4TOADDR(192, 168, 4, 1) },
    .netmask = { .addr = ESP_IP4TOADDR(255, 255, 255, 0) },
};
const esp_netif_inherent_config_t _g_esp_netif_inherent_ap_config = ESP_NETIF_INHERENT_DEFAULT_WIFI_AP();
