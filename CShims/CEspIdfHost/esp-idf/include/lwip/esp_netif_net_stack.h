/*
 * lwip/esp_netif_net_stack.h on the host: esp-netif's lwIP network-stack config
 * and ESP-IDF's Ethernet glue, ethernetif_init and ethernetif_input.
 */
#ifndef ESP_IDF_HOST_LWIP_ESP_NETIF_NET_STACK_H
#define ESP_IDF_HOST_LWIP_ESP_NETIF_NET_STACK_H

#include "esp_netif.h"
#include <esp_netif_net_stack.h>  /* the generic one, not this file */
#include "lwip/netif.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef err_t (*init_fn_t)(struct netif *);
typedef void (*input_fn_t)(void *netif, void *buffer, size_t len, void *eb);

struct esp_netif_netstack_lwip_vanilla_config {
    init_fn_t init_fn;
    input_fn_t input_fn;
};

struct esp_netif_netstack_config {
    struct esp_netif_netstack_lwip_vanilla_config lwip;
};

/**
 * ESP-IDF's Ethernet netif init: name "en", MTU 1500, BROADCAST|ETHARP|IGMP|MLD6,
 * the esp_netif's MAC, output etharp_output / ethip6_output, and a linkoutput that
 * passes each frame (one contiguous buffer) to the driver's transmit.
 */
err_t ethernetif_init(struct netif *netif);

/** Wraps buffer in a zero-copy pbuf and calls netif->input; frees it through the driver when lwIP is done. */
void ethernetif_input(void *h, void *buffer, size_t len, void *l2_buff);

#ifdef __cplusplus
}
#endif

#endif
