/*
 * lwip/esp_pbuf_ref.h on the host: ESP-IDF v5.4's zero-copy RX pbuf (a PBUF_REF custom
 * pbuf pointing into a driver's buffer; freeing it returns the buffer through
 * esp_netif_free_rx_buffer).
 */
#ifndef ESP_IDF_HOST_LWIP_ESP_PBUF_REF_H
#define ESP_IDF_HOST_LWIP_ESP_PBUF_REF_H

#include <stddef.h>
#include "lwip/pbuf.h"
#include "esp_netif.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pbuf *esp_pbuf_allocate(esp_netif_t *esp_netif, void *buffer, size_t len, void *l2_buff);

#ifdef __cplusplus
}
#endif

#endif
