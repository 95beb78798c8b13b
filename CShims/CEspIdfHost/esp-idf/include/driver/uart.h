/*
 * driver/uart.h on the host: the UART driver API, backed by the device's link.
 *
 * One port (UART1 unless --uart says otherwise, see CEspIdfHost.h) is wired to the
 * TCP link: bytes from the peer fill its RX ring buffer, bytes written to it go to
 * the peer.  Other ports can be installed and written; their output is discarded
 * (with a warning once), and nothing arrives on them.
 *
 *  - uart_driver_install: the RX ring has rx_buffer_size bytes (must be > 128, the
 *    hardware FIFO, as on ESP-IDF).  The link waits up to 200 ms for room, as
 *    QEMU's chardev waits for the UART; past that, bytes are dropped and counted
 *    (defect "uart-rx-overflow").  Event queues are not supported (ESP_ERR_NOT_SUPPORTED).
 *  - uart_read_bytes: ESP-IDF's semantics: copies up to length bytes; each wait for
 *    more data lasts at most ticks_to_wait (the wait restarts when bytes arrive);
 *    when a wait expires it returns what it has, possibly 0.  -1 if not installed.
 *  - uart_write_bytes: blocks until the bytes are handed to the link; returns size.
 *    Writes made inside one linkoutput call are sent as one piece.
 */
#ifndef ESP_IDF_HOST_DRIVER_UART_H
#define ESP_IDF_HOST_DRIVER_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int uart_port_t;

#define UART_NUM_0 0
#define UART_NUM_1 1
#define UART_NUM_2 2
#define UART_NUM_MAX 3

#define UART_PIN_NO_CHANGE (-1)
#define UART_HW_FIFO_LEN(uart_num) 128
#define UART_FIFO_LEN 128

typedef enum {
    UART_DATA_5_BITS = 0x0,
    UART_DATA_6_BITS = 0x1,
    UART_DATA_7_BITS = 0x2,
    UART_DATA_8_BITS = 0x3,
    UART_DATA_BITS_MAX = 0x4,
} uart_word_length_t;

typedef enum {
    UART_PARITY_DISABLE = 0x0,
    UART_PARITY_EVEN = 0x2,
    UART_PARITY_ODD = 0x3,
} uart_parity_t;

typedef enum {
    UART_STOP_BITS_1 = 0x1,
    UART_STOP_BITS_1_5 = 0x2,
    UART_STOP_BITS_2 = 0x3,
    UART_STOP_BITS_MAX = 0x4,
} uart_stop_bits_t;

typedef enum {
    UART_HW_FLOWCTRL_DISABLE = 0x0,
    UART_HW_FLOWCTRL_RTS = 0x1,
    UART_HW_FLOWCTRL_CTS = 0x2,
    UART_HW_FLOWCTRL_CTS_RTS = 0x3,
    UART_HW_FLOWCTRL_MAX = 0x4,
} uart_hw_flowcontrol_t;

typedef enum {
    UART_SCLK_APB = 0,
    UART_SCLK_REF_TICK = 1,
    UART_SCLK_DEFAULT = UART_SCLK_APB,
} uart_sclk_t;

typedef struct {
    int baud_rate;
    uart_word_length_t data_bits;
    uart_parity_t parity;
    uart_stop_bits_t stop_bits;
    uart_hw_flowcontrol_t flow_ctrl;
    uint8_t rx_flow_ctrl_thresh;
    uart_sclk_t source_clk;
} uart_config_t;

esp_err_t uart_param_config(uart_port_t uart_num, const uart_config_t *uart_config);
esp_err_t uart_set_pin(uart_port_t uart_num, int tx_io_num, int rx_io_num, int rts_io_num, int cts_io_num);
esp_err_t uart_driver_install(uart_port_t uart_num, int rx_buffer_size, int tx_buffer_size, int queue_size,
                              QueueHandle_t *uart_queue, int intr_alloc_flags);
esp_err_t uart_driver_delete(uart_port_t uart_num);
bool uart_is_driver_installed(uart_port_t uart_num);
int uart_read_bytes(uart_port_t uart_num, void *buf, uint32_t length, TickType_t ticks_to_wait);
int uart_write_bytes(uart_port_t uart_num, const void *src, size_t size);
esp_err_t uart_wait_tx_done(uart_port_t uart_num, TickType_t ticks_to_wait);
esp_err_t uart_flush(uart_port_t uart_num);
esp_err_t uart_flush_input(uart_port_t uart_num);
esp_err_t uart_get_buffered_data_len(uart_port_t uart_num, size_t *size);

#ifdef __cplusplus
}
#endif

#endif
