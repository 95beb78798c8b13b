/*
 * The UART's receive side below the ring: the 128-byte RX FIFO the link's bytes
 * enter, and the receive half of ESP-IDF v5.4's uart_rx_intr_handler_default
 * (components/esp_driver_uart/src/uart.c), which moves the FIFO into the ring
 * and posts uart_event_t to the driver's event queue.  Everything here runs with
 * host_uart_lock held, as the ISR runs with the port's spinlock on the chip; the
 * "interrupt" runs on the thread that raised it (the link feeding bytes, or a
 * task re-enabling RX interrupts in uart_read_bytes/uart_flush_input).
 */
#include "uart_internal.h"

#include <string.h>

#include "esp_log.h"

/* ESP-IDF keeps this flag static inside the ISR, shared by every port: a pattern
 * seen while the ring was full marks the next FIFO read as a pattern read. */
static uint8_t s_pat_flg;

bool host_uart_ring_push(host_uart_port_t *port, const uint8_t *bytes, size_t count)
{
    /* a byte ring buffer (RINGBUF_TYPE_BYTEBUF) takes an item only whole */
    if (count > port->size - port->count) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        port->ring[(port->head + port->count + i) % port->size] = bytes[i];
    }
    port->count += count;
    if (count > 0) {
        pthread_cond_broadcast(&host_uart_data);
    }
    return true;
}

void host_uart_post_event(host_uart_port_t *port, const uart_event_t *event)
{
    if (port->event_queue == NULL) {
        return;
    }
    BaseType_t woken = pdFALSE;
    if (xQueueSendFromISR(port->event_queue, event, &woken) == pdTRUE) {
        return;
    }
    /* ESP-IDF drops it and says "UART event queue full" at VERBOSE level only */
    port->events_dropped++;
    uint64_t n = port->events_dropped;
    while (n >= 10 && n % 10 == 0) {
        n /= 10;
    }
    if (n == 1) {
        host_log_line(ESP_LOG_WARN, HOST_TAG, "UART%d event queue full: %llu events dropped so far "
                              "(type %d; ESP-IDF drops them too, the data stay in the RX ring)",
                              port->num,
                              (unsigned long long)port->events_dropped, (int)event->type);
    }
}

/* ESP-IDF's uart_find_pattern_from_last: the index of the first character of the
 * last run of pat_num pattern characters in buf[0..length], or -1. */
static int find_pattern_from_last(const uint8_t *buf, int length, uint8_t pat_chr, uint8_t pat_num)
{
    int cnt = 0;
    int len = length;
    for (; len >= 0; len--) {
        cnt = buf[len] == pat_chr ? cnt + 1 : 0;
        if (cnt >= pat_num) {
            break;
        }
    }
    return len;
}

/* The interrupt status: raw conditions of the level-triggered RX interrupts, masked by int_ena. */
static uint32_t intr_status(const host_uart_port_t *port)
{
    uint32_t raw = 0;
    if (port->fifo_len > 0 && port->fifo_len >= (size_t)port->full_thresh) {
        raw |= HOST_UART_INTR_RXFIFO_FULL;
    }
    if (port->fifo_len > 0 && port->tout_thresh > 0 && !port->line_busy) {
        raw |= HOST_UART_INTR_RXFIFO_TOUT;
    }
    if (port->pat_raw) {
        raw |= HOST_UART_INTR_CMD_CHAR_DET;
    }
    return raw & port->int_ena;
}

void host_uart_rx_isr(host_uart_port_t *port)
{
    if (!port->installed) {
        return;   /* no handler is allocated without the driver */
    }
    for (;;) {
        uint32_t status = intr_status(port);
        if (status == 0) {
            break;
        }
        uart_event_t event = {.type = UART_EVENT_MAX};
        if (s_pat_flg == 1) {
            status |= HOST_UART_INTR_CMD_CHAR_DET;
            s_pat_flg = 0;
        }
        if (!port->buffer_full) {
            /* read the whole FIFO into rx_data_buf */
            int rx_fifo_len = (int)port->fifo_len;
            memcpy(port->stash, port->fifo, port->fifo_len);
            port->fifo_len = 0;
            int pat_idx = -1;
            if (status & HOST_UART_INTR_CMD_CHAR_DET) {
                port->pat_raw = false;
                event.type = UART_PATTERN_DET;
                event.size = (size_t)rx_fifo_len;
                pat_idx = find_pattern_from_last(port->stash, rx_fifo_len - 1, port->pat_chr, port->pat_num);
            } else {
                event.type = UART_DATA;
                event.size = (size_t)rx_fifo_len;
                event.timeout_flag = (status & HOST_UART_INTR_RXFIFO_TOUT) != 0;
            }
            port->stash_len = (size_t)rx_fifo_len;
            const int buffered = (int)port->count;
            if (!host_uart_ring_push(port, port->stash, port->stash_len)) {
                /* keep the chunk, stop RX interrupts until a reader makes room */
                port->buffer_full = true;
                port->int_ena &= ~HOST_UART_INTR_RX;
                if (event.type == UART_PATTERN_DET) {
                    if (rx_fifo_len < port->pat_num) {
                        host_uart_pattern_enqueue(port, buffered - (port->pat_num - rx_fifo_len));
                    } else {
                        host_uart_pattern_enqueue(port, pat_idx <= -1 ? buffered + (int)port->stash_len
                                                                     : buffered + pat_idx);
                    }
                    host_uart_post_event(port, &event);
                }
                event.type = UART_BUFFER_FULL;
            } else if (status & HOST_UART_INTR_CMD_CHAR_DET) {
                if (rx_fifo_len < port->pat_num) {
                    /* part of the pattern left the FIFO in the previous read */
                    host_uart_pattern_enqueue(port, buffered - (port->pat_num - rx_fifo_len));
                } else if (pat_idx >= 0) {
                    host_uart_pattern_enqueue(port, buffered + pat_idx);
                }
            }
            pthread_cond_broadcast(&host_uart_space);   /* the FIFO has room again */
        } else {
            port->int_ena &= ~HOST_UART_INTR_RX;
            if (status & HOST_UART_INTR_CMD_CHAR_DET) {
                /* seen now, its position is recorded at the next FIFO read */
                port->pat_raw = false;
                event.type = UART_PATTERN_DET;
                event.size = 0;
                s_pat_flg = 1;
            }
        }
        if (event.type != UART_EVENT_MAX) {
            host_uart_post_event(port, &event);
        }
    }
}

void host_uart_line_byte(host_uart_port_t *port, uint8_t byte)
{
    port->fifo[port->fifo_len++] = byte;
    /* the AT_CMD detector: pat_num pattern characters in a row */
    if (port->pat_num > 0 && byte == port->pat_chr) {
        if (++port->pat_run == port->pat_num) {
            port->pat_raw = true;
            port->pat_run = 0;
        }
    } else {
        port->pat_run = 0;
    }
}

bool host_uart_rx_would_overfill(const host_uart_port_t *port)
{
    return port->installed && !port->buffer_full && intr_status(port) != 0 &&
           port->fifo_len > port->size - port->count;
}

size_t host_uart_fifo_overflow(host_uart_port_t *port)
{
    /* the byte that found the FIFO full is lost; the ISR's UART_INTR_RXFIFO_OVF
     * branch resets the FIFO (uart_hal_rxfifo_rst) and posts UART_FIFO_OVF */
    size_t lost = port->fifo_len + 1;
    port->fifo_len = 0;
    if (port->installed) {
        uart_event_t event = {.type = UART_FIFO_OVF};
        host_uart_post_event(port, &event);
    }
    pthread_cond_broadcast(&host_uart_space);
    return lost;
}

bool host_uart_check_buf_full(host_uart_port_t *port)
{
    if (!port->buffer_full || !host_uart_ring_push(port, port->stash, port->stash_len)) {
        return false;
    }
    port->buffer_full = false;
    /* uart_reenable_intr_mask: only what the user has not disabled */
    port->int_ena |= port->rx_int_usr_mask & HOST_UART_INTR_RX;
    host_uart_rx_isr(port);
    pthread_cond_broadcast(&host_uart_space);
    return true;
}
