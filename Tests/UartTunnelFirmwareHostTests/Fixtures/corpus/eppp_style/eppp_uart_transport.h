/*
 * The UART transport under the eppp-style link: an esp_netif IO driver (driver
 * object + post_attach) carrying Ethernet frames in the seed's records on UART1.
 */
#pragma once

#include "esp_err.h"
#include "esp_netif.h"

/** Called once, on the RX task, when the first valid frame arrives from the peer (before the stack sees it). */
typedef void (*eppp_uart_link_cb_t)(esp_netif_t *netif);

typedef struct eppp_uart_transport *eppp_uart_transport_handle_t;

/** Installs UART1; the handle goes to esp_netif_attach(). */
eppp_uart_transport_handle_t eppp_uart_transport_new(eppp_uart_link_cb_t on_link);
