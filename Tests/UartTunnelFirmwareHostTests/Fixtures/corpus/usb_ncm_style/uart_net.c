/*
 * uart_net (see uart_net.h): one RX task, one static frame buffer, callback per frame.
 *
 *   [len_hi][len_lo][frame ...]   14 <= len <= 1518; a record that stalls for 1 s is dropped
 */
#include "uart_net.h"

#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#define NET_UART      UART_NUM_1
#define NET_MIN_FRAME 14
#define NET_MAX_FRAME 1518

static const char *TAG = "uart_net";
static uart_net_config_t s_config;
static uint8_t s_frame[NET_MAX_FRAME];

static int read_before(uint8_t *into, size_t want, TickType_t deadline)
{
    size_t have = 0;
    while (have < want) {
        const TickType_t now = xTaskGetTickCount();
        if ((int32_t)(deadline - now) <= 0) {
            break;
        }
        const int n = uart_read_bytes(NET_UART, into + have, (uint32_t)(want - have), deadline - now);
        if (n < 0) {
            return -1;
        }
        have += (size_t)n;
    }
    return (int)have;
}

static void uart_net_rx_task(void *arg)
{
    (void)arg;
    uint8_t len_bytes[2];
    for (;;) {
        if (uart_read_bytes(NET_UART, len_bytes, 1, portMAX_DELAY) != 1) {
            continue;
        }
        const TickType_t deadline = xTaskGetTickCount() + pdMS_TO_TICKS(1000);
        if (read_before(len_bytes + 1, 1, deadline) != 1) {
            continue;
        }
        const uint16_t len = (uint16_t)((len_bytes[0] << 8) | len_bytes[1]);
        if (len < NET_MIN_FRAME || len > NET_MAX_FRAME) {
            ESP_LOGW(TAG, "bad record length %u", len);
            continue;
        }
        if (read_before(s_frame, len, xTaskGetTickCount() + pdMS_TO_TICKS(1000)) != len) {
            ESP_LOGW(TAG, "record of %u bytes timed out", len);
            continue;
        }
        if (s_config.on_recv_callback != NULL) {
            s_config.on_recv_callback(s_frame, len, s_config.user_context);
        }
    }
}

esp_err_t uart_net_init(const uart_net_config_t *config)
{
    s_config = *config;
    const uart_config_t uart_config = {
        .baud_rate = 115200,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    ESP_ERROR_CHECK(uart_driver_install(NET_UART, 2048, 2048, 0, NULL, 0));
    ESP_ERROR_CHECK(uart_param_config(NET_UART, &uart_config));
    ESP_ERROR_CHECK(uart_set_pin(NET_UART, 17, 16, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE));
    if (xTaskCreate(uart_net_rx_task, "uart_net_rx", 4096, NULL, 5, NULL) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return ESP_OK;
}

esp_err_t uart_net_send(void *buffer, uint16_t len)
{
    if (len < NET_MIN_FRAME || len > NET_MAX_FRAME) {
        return ESP_ERR_INVALID_SIZE;
    }
    uint8_t record[2 + NET_MAX_FRAME];
    record[0] = (uint8_t)(len >> 8);
    record[1] = (uint8_t)len;
    memcpy(record + 2, buffer, len);
    return uart_write_bytes(NET_UART, record, (size_t)len + 2) == len + 2 ? ESP_OK : ESP_FAIL;
}
