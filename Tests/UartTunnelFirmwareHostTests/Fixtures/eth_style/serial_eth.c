/*
 * serial_eth driver (see serial_eth.h).
 *
 * RX runs as a small state machine over whatever uart_read_bytes() returns
 * (up to 256 bytes every 20 ms), rather than reading the length and then the
 * frame.  Each complete frame goes into its own heap buffer that the stack owns
 * until serial_eth_free_rx_buffer().  TX writes the length and the frame with
 * one uart_write_bytes() call.
 */
#include "serial_eth.h"

#include <stdlib.h>
#include <string.h>

#include "esp_log.h"
#include "esp_netif_net_stack.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#define MIN_FRAME 14
#define MAX_FRAME 1518

static const char *TAG = "serial_eth";

struct serial_eth_driver {
    esp_netif_driver_base_t base;   /* must come first: esp_netif_attach() treats the handle as this */
    serial_eth_config_t config;
    TaskHandle_t rx_task;
    uint32_t frames_in, frames_out, dropped;
};

static esp_err_t serial_eth_transmit(void *handle, void *buffer, size_t len)
{
    serial_eth_driver_t *driver = handle;
    if (len < MIN_FRAME || len > MAX_FRAME) {
        return ESP_ERR_INVALID_SIZE;
    }
    uint8_t *record = malloc(len + 2);
    if (record == NULL) {
        return ESP_ERR_NO_MEM;
    }
    record[0] = (uint8_t)(len >> 8);
    record[1] = (uint8_t)len;
    memcpy(record + 2, buffer, len);
    int written = uart_write_bytes(driver->config.port, record, len + 2);
    free(record);
    if (written != (int)(len + 2)) {
        return ESP_FAIL;
    }
    driver->frames_out++;
    return ESP_OK;
}

static void serial_eth_free_rx_buffer(void *handle, void *buffer)
{
    (void)handle;
    free(buffer);
}

static void serial_eth_rx_task(void *arg)
{
    serial_eth_driver_t *driver = arg;
    uint8_t chunk[256];
    uint8_t header[2];
    size_t header_have = 0, frame_len = 0, frame_have = 0;
    uint8_t *frame = NULL;
    int64_t started_us = 0;

    for (;;) {
        int n = uart_read_bytes(driver->config.port, chunk, sizeof chunk, pdMS_TO_TICKS(20));
        int64_t now = esp_timer_get_time();
        if ((header_have > 0 || frame != NULL) &&
            now - started_us > (int64_t)driver->config.frame_timeout_ms * 1000) {
            if (frame != NULL) {
                ESP_LOGW(TAG, "record timed out (%u of %u bytes)", (unsigned)frame_have, (unsigned)frame_len);
            } else {
                ESP_LOGW(TAG, "record timed out (1 of 2 length bytes)");
            }
            free(frame);
            frame = NULL;
            header_have = 0;
        }
        for (int i = 0; i < n; i++) {
            if (frame == NULL) {
                if (header_have == 0) {
                    started_us = now;
                }
                header[header_have++] = chunk[i];
                if (header_have < 2) {
                    continue;
                }
                header_have = 0;
                frame_len = ((size_t)header[0] << 8) | header[1];
                if (frame_len < MIN_FRAME || frame_len > MAX_FRAME) {
                    ESP_LOGW(TAG, "bad length %u", (unsigned)frame_len);
                    continue;
                }
                frame = malloc(frame_len);
                frame_have = 0;
                started_us = now;
                if (frame == NULL) {
                    driver->dropped++;
                    continue;
                }
                continue;
            }
            frame[frame_have++] = chunk[i];
            if (frame_have == frame_len) {
                driver->frames_in++;
                /* the stack owns frame now; it comes back through serial_eth_free_rx_buffer */
                esp_netif_receive(driver->base.netif, frame, frame_len, NULL);
                frame = NULL;
            }
        }
    }
}

static esp_err_t serial_eth_post_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle handle)
{
    serial_eth_driver_t *driver = handle;
    driver->base.netif = esp_netif;
    const esp_netif_driver_ifconfig_t io = {
        .handle = driver,
        .transmit = serial_eth_transmit,
        .driver_free_rx_buffer = serial_eth_free_rx_buffer,
    };
    esp_err_t err = esp_netif_set_driver_config(esp_netif, &io);
    if (err != ESP_OK) {
        return err;
    }
    if (xTaskCreate(serial_eth_rx_task, "serial_eth_rx", 3072, driver, 18, &driver->rx_task) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return ESP_OK;
}

esp_err_t serial_eth_new(const serial_eth_config_t *config, serial_eth_driver_t **out)
{
    const uart_config_t uart = {
        .baud_rate = config->baud,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    ESP_ERROR_CHECK(uart_driver_install(config->port, 4096, 0, 0, NULL, 0));
    ESP_ERROR_CHECK(uart_param_config(config->port, &uart));
    ESP_ERROR_CHECK(uart_set_pin(config->port, config->tx_pin, config->rx_pin, UART_PIN_NO_CHANGE,
                                 UART_PIN_NO_CHANGE));
    serial_eth_driver_t *driver = calloc(1, sizeof *driver);
    if (driver == NULL) {
        return ESP_ERR_NO_MEM;
    }
    driver->config = *config;
    driver->base.post_attach = serial_eth_post_attach;
    *out = driver;
    return ESP_OK;
}
