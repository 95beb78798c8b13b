/*
 * UART tunnel netif (the seed's netif_uart_tunnel_sim.c shape): one call after the
 * network stack and the default event loop exist.
 */
#pragma once

#include "esp_err.h"

/** Installs UART1, creates the esp_netif with its static address, wires lwIP to the UART and starts RX. */
esp_err_t netif_uart_tunnel_init(void);
