/*
 * uart_io: an esp_netif IO driver that carries Ethernet frames over UART1 in the
 * seed's records, built like ESP-IDF's tapif_io example driver: a singleton driver
 * object that starts with esp_netif_driver_base_t, created once, attached with
 * esp_netif_attach(); its post_attach hook does the rest.
 */
#pragma once

#include "esp_err.h"
#include "esp_netif.h"

/** The driver handle for esp_netif_attach() (a singleton: one UART tunnel per system), NULL on failure. */
void *uart_io_create(void);

/** esp-netif's TX path into the driver: one record per frame. */
esp_err_t uart_io_output(void *h, void *buffer, size_t len);
