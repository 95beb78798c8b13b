/*
 * lwip/esp_netif_net_stack.h on the host: esp-netif's lwIP network-stack config and
 * ESP-IDF's Ethernet glue, as ESP-IDF v5.4 declares them.  CONFIG_ESP_NETIF_RECEIVE_REPORT_ERRORS
 * is off by default in v5.4, so input functions return void (ESP_NETIF_OPTIONAL_RETURN_CODE drops
 * its argument).  Debian's liblwip has no PPP: the lwip_ppp member exists for layout only.
 */
#ifndef ESP_IDF_HOST_LWIP_ESP_NETIF_NET_STACK_H
#define ESP_IDF_HOST_LWIP_ESP_NETIF_NET_STACK_H

#include "esp_netif.h"
#include <esp_netif_net_stack.h>  /* the generic one, not this file */
#include "lwip/netif.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef CONFIG_ESP_NETIF_RECEIVE_REPORT_ERRORS
typedef esp_err_t esp_netif_recv_ret_t;
#define ESP_NETIF_OPTIONAL_RETURN_CODE(expr) expr
#else
typedef void esp_netif_recv_ret_t;
#define ESP_NETIF_OPTIONAL_RETURN_CODE(expr)
#endif

typedef err_t (*init_fn_t)(struct netif *);
typedef esp_netif_recv_ret_t (*input_fn_t)(void *netif, void *buffer, size_t len, void *eb);

struct esp_netif_netstack_lwip_vanilla_config {
    init_fn_t init_fn;
    input_fn_t input_fn;
};

struct esp_netif_netstack_lwip_ppp_config {
    input_fn_t input_fn;
};

struct esp_netif_netstack_config {
    union {
        struct esp_netif_netstack_lwip_vanilla_config lwip;
        struct esp_netif_netstack_lwip_ppp_config lwip_ppp;
    };
};

/**
 * ethernetif_init as v5.4's (lwip/netif/ethernetif.c): name "en", MTU 1500, flags BROADCAST|ETHARP|ETHERNET
 * (+IGMP, MLD6), output etharp_output / ethip6_output, linkoutput = a function that hands each frame as one
 * buffer to esp_netif_transmit.  It does not touch hwaddr: that stays zero until esp_netif_set_mac.
 */
err_t ethernetif_init(struct netif *netif);

/** Lends buffer to lwIP in a PBUF_REF whose free calls the driver's driver_free_rx_buffer (zero copy); a
 *  frame for a netif that is not up is dropped and its buffer freed at once. */
esp_netif_recv_ret_t ethernetif_input(void *h, void *buffer, size_t len, void *l2_buff);

#ifdef __cplusplus
}
#endif

#endif
