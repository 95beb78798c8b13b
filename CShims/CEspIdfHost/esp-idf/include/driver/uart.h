/*
 * driver/uart.h on the host: ESP-IDF v5.4's UART driver API
 * (components/esp_driver_uart/include/driver/uart.h), backed by the device's link.
 *
 * One port (UART1 unless --uart says otherwise, see CEspIdfHost.h) is wired to the
 * TCP link: bytes from the peer arrive on its RX line, bytes written to it go to
 * the peer.  Other ports can be installed and written; their output is discarded
 * (with a warning once), and nothing arrives on them.
 *
 * RX path, as ESP-IDF's uart_rx_intr_handler_default runs it on the chip:
 *   line -> 128-byte RX FIFO -> (the "ISR") -> RX ring of rx_buffer_size bytes -> uart_read_bytes
 *  - The ISR moves the whole FIFO into the ring when it holds rx_full_threshold
 *    bytes (120 by default, uart_set_rx_full_threshold), when the line goes idle
 *    with bytes in it (RX timeout, on unless uart_set_rx_timeout(.., 0)), and when
 *    the pattern of uart_enable_pattern_det_baud_intr completes.  Each move posts
 *    one uart_event_t: UART_DATA {size, timeout_flag} or UART_PATTERN_DET {size}.
 *    The link has no bit timing: the line is idle when the bytes the link
 *    delivered so far have all entered the FIFO (one TCP read = one burst at line
 *    rate), so a burst gives UART_DATA events of exactly rx_full_threshold bytes
 *    (timeout_flag false) and one last shorter one with timeout_flag true.
 *  - The host's line has no baud rate, so the link paces it: it pauses (up to
 *    200 ms, the line still busy) while the ring lacks room for the next FIFO
 *    read, as a reader task would run between FIFO reads at line rate.
 *  - Past that pause, a chunk that does not fit in the ring whole is kept aside (ESP-IDF's stash),
 *    UART_BUFFER_FULL {size of that chunk} is posted and the ISR stops moving data:
 *    the ring keeps what fitted, uart_get_buffered_data_len counts only that.
 *    uart_read_bytes/uart_flush_input put the stash in once it fits and restart.
 *  - Meanwhile the FIFO fills.  When it is full the link waits (up to 200 ms, as
 *    QEMU's chardev waits for the UART to take bytes); past that, a byte arriving
 *    at a full FIFO overflows it: the FIFO is reset (its 128 bytes and that byte
 *    are lost), UART_FIFO_OVF is posted, and the loss is reported as defect
 *    "uart-rx-overflow".
 *  - An event is dropped when the event queue is full (xQueueSendFromISR fails),
 *    as ESP-IDF does; the host logs how many were dropped (1st, 10th, 100th, ...).
 *  - No UART_BREAK, UART_FRAME_ERR or UART_PARITY_ERR: the link carries bytes, not
 *    line conditions.  Pattern detection counts chr_num consecutive pattern
 *    characters; chr_tout/post_idle/pre_idle are checked as ESP-IDF checks them
 *    but cannot apply to a link without timing.
 *
 *  - uart_read_bytes: ESP-IDF's semantics: copies up to length bytes; each wait for
 *    more data lasts at most ticks_to_wait (the wait restarts when bytes arrive);
 *    when a wait expires it returns what it has, possibly 0.  -1 if not installed.
 *  - uart_write_bytes: blocks until the bytes are handed to the link; returns size.
 *    Writes made inside one linkoutput call are sent as one piece.  So
 *    uart_wait_tx_done never waits.
 */
#ifndef ESP_IDF_HOST_DRIVER_UART_H
#define ESP_IDF_HOST_DRIVER_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "hal/uart_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UART_PIN_NO_CHANGE (-1)
#define UART_HW_FIFO_LEN(uart_num) 128
#define UART_FIFO_LEN 128
#define UART_BITRATE_MAX 5000000

typedef struct {
    int baud_rate;
    uart_word_length_t data_bits;
    uart_parity_t parity;
    uart_stop_bits_t stop_bits;
    uart_hw_flowcontrol_t flow_ctrl;
    uint8_t rx_flow_ctrl_thresh;
    uart_sclk_t source_clk;
    struct {
        uint32_t allow_pd : 1;
        uint32_t backup_before_sleep : 1;
    } flags;
} uart_config_t;

typedef enum {
    UART_DATA,
    UART_BREAK,
    UART_BUFFER_FULL,
    UART_FIFO_OVF,
    UART_FRAME_ERR,
    UART_PARITY_ERR,
    UART_DATA_BREAK,
    UART_PATTERN_DET,
    UART_EVENT_MAX,
} uart_event_type_t;

typedef struct {
    uart_event_type_t type;
    size_t size;
    bool timeout_flag;
} uart_event_t;

esp_err_t uart_param_config(uart_port_t uart_num, const uart_config_t *uart_config);
esp_err_t uart_set_pin(uart_port_t uart_num, int tx_io_num, int rx_io_num, int rts_io_num, int cts_io_num);
esp_err_t uart_set_baudrate(uart_port_t uart_num, uint32_t baudrate);
esp_err_t uart_get_baudrate(uart_port_t uart_num, uint32_t *baudrate);
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
esp_err_t uart_enable_rx_intr(uart_port_t uart_num);
esp_err_t uart_disable_rx_intr(uart_port_t uart_num);
esp_err_t uart_set_rx_full_threshold(uart_port_t uart_num, int threshold);
esp_err_t uart_set_rx_timeout(uart_port_t uart_num, const uint8_t tout_thresh);
esp_err_t uart_enable_pattern_det_baud_intr(uart_port_t uart_num, char pattern_chr, uint8_t chr_num, int chr_tout,
                                            int post_idle, int pre_idle);
esp_err_t uart_disable_pattern_det_intr(uart_port_t uart_num);
int uart_pattern_pop_pos(uart_port_t uart_num);
int uart_pattern_get_pos(uart_port_t uart_num);
esp_err_t uart_pattern_queue_reset(uart_port_t uart_num, int queue_length);

#ifdef __cplusplus
}
#endif

#endif
