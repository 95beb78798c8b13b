/*
 * esp_netif_net_stack.h on the host: the calls between esp-netif and the lwIP
 * netif (what a driver that configures the lwIP netif itself uses).
 */
#ifndef ESP_IDF_HOST_ESP_NETIF_NET_STACK_H
#define ESP_IDF_HOST_ESP_NETIF_NET_STACK_H

#include "esp_netif.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The esp_netif of an lwIP netif (its netif->state), or NULL. */
esp_netif_t *esp_netif_get_handle_from_netif_impl(void *dev);
/** The lwIP struct netif of an esp_netif; before esp_netif_action_start it is not yet added to lwIP. */
void *esp_netif_get_netif_impl(esp_netif_t *esp_netif);
/** Calls the driver's transmit (what ethernetif's linkoutput does); ESP-IDF does not check it for NULL. */
esp_err_t esp_netif_transmit(esp_netif_t *esp_netif, void *data, size_t len);
esp_err_t esp_netif_transmit_wrap(esp_netif_t *esp_netif, void *data, size_t len, void *netstack_buf);
/** Returns a lent RX buffer to the driver (driver_free_rx_buffer). */
void esp_netif_free_rx_buffer(void *esp_netif, void *buffer);

#ifdef __cplusplus
}
#endif

#endif
