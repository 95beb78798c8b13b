/*
 * Shared between the UART driver's files (src/drivers/uart*.c only).
 *
 * One lock (host_uart_lock) guards every port, like the driver's spinlock plus
 * the ISR's exclusion on the chip.  A port has the driver object ESP-IDF keeps in
 * p_uart_obj (ring, stash, event queue, pattern positions; exists while
 * installed) and the "hardware" the host models (RX FIFO, interrupt enables,
 * thresholds, pattern detector, clock divider; kept across install/delete).
 */
#ifndef ESP_IDF_HOST_UART_INTERNAL_H
#define ESP_IDF_HOST_UART_INTERNAL_H

#include "drivers/drivers.h"

#include "driver/uart.h"

#define HOST_UART_FIFO_LEN 128
/* ESP32 interrupt bits (hal/esp32 uart_ll.h's uart_intr_t) the model uses */
#define HOST_UART_INTR_RXFIFO_FULL (1u << 0)
#define HOST_UART_INTR_RXFIFO_OVF (1u << 4)
#define HOST_UART_INTR_RXFIFO_TOUT (1u << 8)
#define HOST_UART_INTR_CMD_CHAR_DET (1u << 18)
#define HOST_UART_INTR_RX (HOST_UART_INTR_RXFIFO_FULL | HOST_UART_INTR_RXFIFO_TOUT)

typedef struct {
    int wr, rd, len;
    int *data;
} host_uart_pattern_ring_t;   /* ESP-IDF's uart_pat_rb_t */

typedef struct {
    int num;
    /* driver object (ESP-IDF's uart_obj_t), valid while installed */
    bool installed;
    uint8_t *ring;
    size_t size, head, count;        /* unread bytes [head, head + count) mod size; count is rx_buffered_len */
    uint8_t stash[HOST_UART_FIFO_LEN];  /* rx_data_buf: the chunk the ring refused */
    size_t stash_len;
    bool buffer_full;                /* rx_buffer_full_flg */
    uint32_t rx_int_usr_mask;        /* RX interrupts the user did not disable */
    QueueHandle_t event_queue;
    host_uart_pattern_ring_t pattern_pos;
    pthread_mutex_t reader;          /* rx_mux */
    bool tx_warned;
    uint64_t events_dropped;

    /* modelled hardware */
    uart_config_t config;
    uint32_t clk_div;                /* div_int << 4 | div_frag */
    uint32_t int_ena;
    uint8_t fifo[HOST_UART_FIFO_LEN];
    size_t fifo_len;
    int full_thresh;                 /* rxfifo_full_thrhd */
    int tout_thresh;                 /* in symbol times; 0: RX timeout off */
    uint8_t pat_chr, pat_num;        /* AT_CMD character and count */
    unsigned pat_run;                /* consecutive pattern characters seen */
    bool pat_raw;                    /* AT_CMD_CHAR_DET raised, not yet handled */
    bool line_busy;                  /* the link is putting a burst on the line */
    /* TX (uart_tx_line.c): the ring's size from uart_driver_install, and when the line has sent every byte */
    size_t tx_ring_size;
    uint64_t tx_line_free_ns;
} host_uart_port_t;

extern pthread_mutex_t host_uart_lock;
extern pthread_cond_t host_uart_data;   /* bytes entered the ring, or a reader must look at its task */
extern pthread_cond_t host_uart_space;  /* the ring or the FIFO has room again */

/* NULL for a bad port number. */
host_uart_port_t *host_uart_port(uart_port_t uart_num);

/* uart_rx_isr.c (host_uart_lock held) */
/* One byte arrives on the line: into the FIFO (the caller made room) and the pattern detector.
 * The caller then runs host_uart_rx_isr. */
void host_uart_line_byte(host_uart_port_t *port, uint8_t byte);
/* An RX interrupt is raised and its FIFO read would not fit in the ring (UART_BUFFER_FULL if the ISR ran now). */
bool host_uart_rx_would_overfill(const host_uart_port_t *port);
/* A byte arrives at a full FIFO: overflow, FIFO reset, UART_FIFO_OVF.  Returns the bytes lost. */
size_t host_uart_fifo_overflow(host_uart_port_t *port);
/* Runs uart_rx_intr_handler_default for the interrupts now raised and enabled. */
void host_uart_rx_isr(host_uart_port_t *port);
/* ESP-IDF's uart_check_buf_full: puts the stash into the ring if it fits, re-enables RX interrupts. */
bool host_uart_check_buf_full(host_uart_port_t *port);
/* Copies bytes into the ring if all of them fit (xRingbufferSend on a byte buffer). */
bool host_uart_ring_push(host_uart_port_t *port, const uint8_t *bytes, size_t count);
/* Posts an event as xQueueSendFromISR does; counts and logs a drop. */
void host_uart_post_event(host_uart_port_t *port, const uart_event_t *event);

/* uart_pattern.c (host_uart_lock held) */
int host_uart_pattern_alloc(host_uart_port_t *port, int queue_length);
void host_uart_pattern_free(host_uart_port_t *port);
void host_uart_pattern_enqueue(host_uart_port_t *port, int pos);
/* ESP-IDF's uart_pattern_queue_update: diff_len bytes left the ring. */
void host_uart_pattern_update(host_uart_port_t *port, int diff_len);

/* uart_tx_line.c: the link UART's TX on a paced line (host_uart_set_line_rate); no-ops on an unpaced one.
 * Blocks a writer of `size` bytes until they fit in the TX ring and FIFO (takes host_uart_lock). */
void host_uart_tx_wait_for_room(host_uart_port_t *port, size_t size);
/* Waits until the line has sent every byte written, at most ticks_to_wait; false on timeout. */
bool host_uart_tx_wait_done(host_uart_port_t *port, TickType_t ticks_to_wait);

/* Wakes every UART waiter (registered with the rtos layer: a deleted task blocked in uart_read_bytes ends). */
void host_uart_wake_all(void);

#endif
