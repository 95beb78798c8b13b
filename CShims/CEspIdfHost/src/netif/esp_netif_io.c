/*
 * The calls between esp_netif, the driver and the netstack, as ESP-IDF v5.4 makes them
 * (esp_netif_receive, esp_netif_transmit[_wrap], esp_netif_free_rx_buffer): straight
 * calls through the function pointers, without NULL checks.  Where v5.4 would call a
 * NULL pointer the host names the defect and ends the device instead of jumping to 0.
 */
#include "netif/netif.h"

#include <lwip/pbuf.h>

#include "esp_log.h"

static const char *desc(const esp_netif_t *esp_netif)
{
    return esp_netif->if_desc != NULL ? esp_netif->if_desc : "?";
}

esp_err_t esp_netif_receive(esp_netif_t *esp_netif, void *buffer, size_t len, void *eb)
{
    if (esp_netif == NULL) {
        host_fatal("esp-netif-null-handle", "esp_netif_receive(NULL, …) with a %zu-byte frame: v5.4 reads "
                   "esp_netif->lwip_input_fn without a check (LoadProhibited on an ESP32)", len);
    }
    if (esp_netif->lwip_input_fn == NULL) {
        host_fatal("netstack-input-null", "esp_netif_receive on \"%s\" (a %zu-byte frame) but its network stack has "
                   "no input function (esp_netif_config_t.stack without lwip.input_fn): v5.4 calls it anyway "
                   "(InstrFetchProhibited on an ESP32)", desc(esp_netif), len);
    }
    esp_netif->lwip_input_fn(&esp_netif->lwip, buffer, len, eb);
    return ESP_OK;  /* CONFIG_ESP_NETIF_RECEIVE_REPORT_ERRORS is off by default */
}

esp_err_t esp_netif_transmit(esp_netif_t *esp_netif, void *data, size_t len)
{
    if (esp_netif->driver_transmit == NULL) {
        host_fatal("driver-transmit-null", "lwIP sent a %zu-byte frame through \"%s\", whose driver never set "
                   "transmit (esp_netif_set_driver_config / post_attach): esp_netif_transmit calls it anyway "
                   "(InstrFetchProhibited on an ESP32)", len, desc(esp_netif));
    }
    return esp_netif->driver_transmit(esp_netif->driver_handle, data, len);
}

esp_err_t esp_netif_transmit_wrap(esp_netif_t *esp_netif, void *data, size_t len, void *netstack_buf)
{
    if (esp_netif->driver_transmit_wrap == NULL) {
        host_fatal("driver-transmit-null", "esp_netif_transmit_wrap on \"%s\" (a %zu-byte frame), whose driver "
                   "never set transmit_wrap: v5.4 calls it anyway (InstrFetchProhibited on an ESP32)", desc(esp_netif),
                   len);
    }
    return esp_netif->driver_transmit_wrap(esp_netif->driver_handle, data, len, netstack_buf);
}

void esp_netif_free_rx_buffer(void *h, void *buffer)
{
    esp_netif_t *esp_netif = h;
    if (esp_netif == NULL || esp_netif->driver_free_rx_buffer == NULL) {
        host_fatal("driver-free-rx-buffer-null", "lwIP returned an RX buffer lent by esp_netif_receive on \"%s\", but "
                   "the driver never set driver_free_rx_buffer: esp_netif_free_rx_buffer calls it anyway "
                   "(InstrFetchProhibited on an ESP32)", esp_netif != NULL ? desc(esp_netif) : "NULL");
    }
    esp_netif->driver_free_rx_buffer(esp_netif->driver_handle, buffer);
}

void esp_netif_netstack_buf_ref(void *netstack_buf)
{
    pbuf_ref(netstack_buf);
}

void esp_netif_netstack_buf_free(void *netstack_buf)
{
    pbuf_free(netstack_buf);
}
