/*
 * uart_io driver (see uart_io.h).
 *
 * post_attach hands esp-netif the three IO entry points with
 * esp_netif_set_driver_config() and starts the RX task.  RX lends each frame to
 * the stack in a heap buffer of its own (ESP-IDF's Ethernet netstack wraps it in a
 * PBUF_REF without copying); the stack gives it back through uart_io_free_rx().
 *
 *   UART1 ─▶ [len_hi][len_lo] ─▶ malloc(len) ─▶ frame bytes ─▶ esp_netif_receive()
 *                                                     ... lwIP done ─▶ uart_io_free_rx() ─▶ free()
 */
#include "uart_io.h"

#include <stdlib.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#define IO_UART       UART_NUM_1
#define IO_TX_GPIO    17
#define IO_RX_GPIO    16
#define IO_MIN_FRAME  14
#define IO_MAX_FRAME  1518
#define IO_TIMEOUT_MS 1000

typedef struct uart_io {
    esp_netif_driver_base_t base;  /* first: esp_netif_attach() reads the handle as this */
    uart_port_t port;
    TaskHandle_t rx_task;
} uart_io_t;

static const char *TAG = "uart-io";

/* want bytes within timeout_ms of the call (one deadline for all of them) */
static bool uart_io_read(uart_io_t *io, uint8_t *into, size_t want, uint32_t timeout_ms)
{
    const TickType_t limit = pdMS_TO_TICKS(timeout_ms);
    const TickType_t start = xTaskGetTickCount();
    size_t have = 0;
    while (have < want) {
        const TickType_t spent = xTaskGetTickCount() - start;
        if (spent >= limit) {
            return false;
        }
        int n = uart_read_bytes(io->port, into + have, (uint32_t)(want - have), limit - spent);
        if (n < 0) {
            return false;
        }
        have += (size_t)n;
    }
    return true;
}

static void uart_io_free_rx(void *h, void *buffer)
{
    (void)h;
    free(buffer);
}

static void uart_io_input_task(void *arg)
{
    uart_io_t *io = arg;
    uint8_t prefix[2];
    for (;;) {
        if (uart_read_bytes(io->port, prefix, 1, portMAX_DELAY) != 1) {
            continue;
        }
        if (!uart_io_read(io, prefix + 1, 1, IO_TIMEOUT_MS)) {
            ESP_LOGW(TAG, "second length byte did not come");
            continue;
        }
        const size_t len = ((size_t)prefix[0] << 8) | prefix[1];
        if (len < IO_MIN_FRAME || len > IO_MAX_FRAME) {
            ESP_LOGW(TAG, "skipping record of length %u", (unsigned)len);
            continue;
        }
        uint8_t *frame = malloc(len);
        if (frame == NULL) {
            ESP_LOGE(TAG, "no memory for a %u-byte frame", (unsigned)len);
            continue;
        }
        if (!uart_io_read(io, frame, len, IO_TIMEOUT_MS)) {
            ESP_LOGW(TAG, "%u-byte frame cut short", (unsigned)len);
            free(frame);
            continue;
        }
        /* the stack owns frame until uart_io_free_rx() */
        esp_netif_receive(io->base.netif, frame, len, NULL);
    }
}

esp_err_t uart_io_output(void *h, void *buffer, size_t len)
{
    uart_io_t *io = h;
    if (len < IO_MIN_FRAME || len > IO_MAX_FRAME) {
        ESP_LOGE(TAG, "cannot send a %u-byte frame", (unsigned)len);
        return ESP_ERR_INVALID_SIZE;
    }
    uint8_t record[2 + IO_MAX_FRAME];
    record[0] = (uint8_t)(len >> 8);
    record[1] = (uint8_t)(len & 0xFF);
    memcpy(record + 2, buffer, len);
    const int written = uart_write_bytes(io->port, record, len + 2);
    if (written < (int)(len + 2)) {
        ESP_LOGE(TAG, "UART write returned %d", written);
        return ESP_FAIL;
    }
    return ESP_OK;
}

static esp_err_t uart_io_post_attach(esp_netif_t *esp_netif, void *arg)
{
    uart_io_t *io = arg;
    io->base.netif = esp_netif;
    const esp_netif_driver_ifconfig_t driver_ifconfig = {
        .handle = io,
        .transmit = uart_io_output,
        .driver_free_rx_buffer = uart_io_free_rx,
    };
    esp_err_t err = esp_netif_set_driver_config(esp_netif, &driver_ifconfig);
    if (err != ESP_OK) {
        return err;
    }
    if (xTaskCreate(uart_io_input_task, "uart_io_rx", 4096, io, 5, &io->rx_task) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return ESP_OK;
}

void *uart_io_create(void)
{
    static uart_io_t s_io;
    if (s_io.base.post_attach != NULL) {
        return &s_io;
    }
    const uart_config_t uart_config = {
        .baud_rate = 115200,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    if (uart_driver_install(IO_UART, 2048, 2048, 0, NULL, 0) != ESP_OK ||
        uart_param_config(IO_UART, &uart_config) != ESP_OK ||
        uart_set_pin(IO_UART, IO_TX_GPIO, IO_RX_GPIO, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE) != ESP_OK) {
        ESP_LOGE(TAG, "cannot set up UART%d", IO_UART);
        return NULL;
    }
    s_io.port = IO_UART;
    s_io.base.post_attach = uart_io_post_attach;
    return &s_io;
}
