/*
 * serial_eth: an Ethernet-over-serial driver in the shape of ESP-IDF's esp_eth
 * drivers.  The driver is an esp_netif IO driver: it is attached with
 * esp_netif_attach(), lends every received frame to the stack with
 * esp_netif_receive() and gets the buffer back in its free_rx_buffer callback.
 *
 * Framing on the serial line: a 16-bit big-endian length, then the frame.
 */
#pragma once

#include "driver/uart.h"
#include "esp_err.h"
#include "esp_netif.h"

typedef struct serial_eth_driver serial_eth_driver_t;

typedef struct {
    uart_port_t port;
    int baud;
    int rx_pin;
    int tx_pin;
    uint32_t frame_timeout_ms;
} serial_eth_config_t;

#define SERIAL_ETH_DEFAULT_CONFIG() { .port = UART_NUM_1, .baud = 115200, .rx_pin = 16, .tx_pin = 17, \
                                      .frame_timeout_ms = 1000 }

/** Installs the UART and returns a driver handle for esp_netif_attach(). */
esp_err_t serial_eth_new(const serial_eth_config_t *config, serial_eth_driver_t **out);
