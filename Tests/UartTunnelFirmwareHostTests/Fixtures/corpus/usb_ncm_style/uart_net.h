/*
 * uart_net: the link layer under the wired netif, in the role tinyusb_net plays for
 * the USB-NCM example: it owns UART1, reassembles the seed's records into frames in
 * its own buffer and hands each one to a receive callback (which must copy it before
 * returning); uart_net_send() writes one frame as one record.
 */
#pragma once

#include <stdint.h>

#include "esp_err.h"

typedef esp_err_t (*uart_net_rx_cb_t)(void *buffer, uint16_t len, void *ctx);

typedef struct {
    uint8_t mac_addr[6];             /* the peer's MAC (the host end of the tunnel) */
    uart_net_rx_cb_t on_recv_callback;
    void *user_context;
} uart_net_config_t;

esp_err_t uart_net_init(const uart_net_config_t *config);
esp_err_t uart_net_send(void *buffer, uint16_t len);
