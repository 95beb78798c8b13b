/*
 * eppp-style UART transport (see eppp_uart_transport.h).
 *
 *   [len_hi][len_lo][frame, 14..1518 bytes]   a record that stalls for 1 s is dropped
 *
 * Each frame is read into its own heap buffer and lent to esp-netif; the stack
 * returns it through transport_free_rx().
 */
#include "eppp_uart_transport.h"

#include <stdlib.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_check.h"
#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#define TRANSPORT_UART UART_NUM_1
#define MIN_FRAME      14
#define MAX_FRAME      1518

struct eppp_uart_transport {
    esp_netif_driver_base_t base;  /* first, for esp_netif_attach() */
    eppp_uart_link_cb_t on_link;
    bool link_seen;
};

static const char *TAG = "eppp_uart";

static bool read_all(uint8_t *into, size_t want, TickType_t budget)
{
    const TickType_t start = xTaskGetTickCount();
    size_t have = 0;
    while (have < want) {
        const TickType_t used = xTaskGetTickCount() - start;
        if (used >= budget) {
            return false;
        }
        const int n = uart_read_bytes(TRANSPORT_UART, into + have, (uint32_t)(want - have), budget - used);
        if (n < 0) {
            return false;
        }
        have += (size_t)n;
    }
    return true;
}

static void transport_rx_task(void *arg)
{
    struct eppp_uart_transport *t = arg;
    uint8_t hdr[2];
    for (;;) {
        if (uart_read_bytes(TRANSPORT_UART, hdr, 1, portMAX_DELAY) != 1 ||
            !read_all(hdr + 1, 1, pdMS_TO_TICKS(1000))) {
            continue;
        }
        const size_t len = ((size_t)hdr[0] << 8) | hdr[1];
        if (len < MIN_FRAME || len > MAX_FRAME) {
            ESP_LOGW(TAG, "bad length %u", (unsigned)len);
            continue;
        }
        uint8_t *frame = malloc(len);
        if (frame == NULL) {
            continue;
        }
        if (!read_all(frame, len, pdMS_TO_TICKS(1000))) {
            free(frame);
            continue;
        }
        if (!t->link_seen) {
            t->link_seen = true;
            if (t->on_link != NULL) {
                t->on_link(t->base.netif);
            }
        }
        esp_netif_receive(t->base.netif, frame, len, NULL);
    }
}

static esp_err_t transport_transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    ESP_RETURN_ON_FALSE(len >= MIN_FRAME && len <= MAX_FRAME, ESP_ERR_INVALID_SIZE, TAG, "frame of %u bytes",
                        (unsigned)len);
    uint8_t record[2 + MAX_FRAME];
    record[0] = (uint8_t)(len >> 8);
    record[1] = (uint8_t)len;
    memcpy(record + 2, buffer, len);
    ESP_RETURN_ON_FALSE(uart_write_bytes(TRANSPORT_UART, record, len + 2) == (int)(len + 2), ESP_FAIL, TAG,
                        "short UART write");
    return ESP_OK;
}

static void transport_free_rx(void *h, void *buffer)
{
    (void)h;
    free(buffer);
}

static esp_err_t transport_post_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle handle)
{
    struct eppp_uart_transport *t = handle;
    t->base.netif = esp_netif;
    const esp_netif_driver_ifconfig_t driver_cfg = {
        .handle = t,
        .transmit = transport_transmit,
        .driver_free_rx_buffer = transport_free_rx,
    };
    ESP_RETURN_ON_ERROR(esp_netif_set_driver_config(esp_netif, &driver_cfg), TAG, "driver config");
    ESP_RETURN_ON_FALSE(xTaskCreate(transport_rx_task, "eppp_uart_rx", 4096, t, 5, NULL) == pdPASS,
                        ESP_ERR_NO_MEM, TAG, "rx task");
    return ESP_OK;
}

eppp_uart_transport_handle_t eppp_uart_transport_new(eppp_uart_link_cb_t on_link)
{
    const uart_config_t uart_config = {
        .baud_rate = 115200,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    if (uart_driver_install(TRANSPORT_UART, 2048, 2048, 0, NULL, 0) != ESP_OK ||
        uart_param_config(TRANSPORT_UART, &uart_config) != ESP_OK ||
        uart_set_pin(TRANSPORT_UART, 17, 16, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE) != ESP_OK) {
        return NULL;
    }
    struct eppp_uart_transport *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->base.post_attach = transport_post_attach;
    t->on_link = on_link;
    return t;
}
