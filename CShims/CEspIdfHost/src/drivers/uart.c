/*
 * The UART driver on the host.  The link port's RX side is a byte ring of
 * rx_buffer_size bytes fed by the link (CEspIdfHost_uartFeed); its TX side goes
 * to the link through tx_stream.c.  uart_read_bytes keeps ESP-IDF's semantics
 * (see driver/uart.h): each wait for data lasts up to ticks_to_wait and restarts
 * when bytes arrive; it returns what it has when a wait runs out.
 */
#include "host_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "CEspIdfHost.h"
#include "driver/uart.h"
#include "esp_log.h"

static const char *TAG = "uart";

typedef struct {
    bool installed;
    uart_config_t config;
    int tx_pin, rx_pin;
    uint8_t *ring;
    size_t size, head, count;       /* bytes [head, head + count) mod size are unread */
    pthread_mutex_t reader;         /* one reader at a time, like ESP-IDF's rx_mux */
    bool tx_warned;
} uart_port_state_t;

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;  /* guards every port's ring */
static pthread_cond_t s_data;       /* bytes arrived, or a reader must look at its task */
static pthread_cond_t s_space;      /* bytes were read */
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static uart_port_state_t s_ports[UART_NUM_MAX];
static int s_link_port = UART_NUM_1;
static uint64_t s_offered;          /* link bytes offered to the ring so far (accepted or dropped) */

static void init_once(void)
{
    host_cond_init(&s_data);
    host_cond_init(&s_space);
    for (int i = 0; i < UART_NUM_MAX; i++) {
        pthread_mutex_init(&s_ports[i].reader, NULL);
    }
}

static uart_port_state_t *port_state(uart_port_t uart_num)
{
    pthread_once(&s_once, init_once);
    return (uart_num >= 0 && uart_num < UART_NUM_MAX) ? &s_ports[uart_num] : NULL;
}

void CEspIdfHost_setLinkUart(int port)
{
    if (port >= 0 && port < UART_NUM_MAX) {
        s_link_port = port;
    }
}

void host_uart_wake_all(void)
{
    pthread_once(&s_once, init_once);
    pthread_mutex_lock(&s_lock);
    pthread_cond_broadcast(&s_data);
    pthread_cond_broadcast(&s_space);
    pthread_mutex_unlock(&s_lock);
}

esp_err_t uart_param_config(uart_port_t uart_num, const uart_config_t *uart_config)
{
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL || uart_config == NULL || uart_config->baud_rate <= 0 ||
        uart_config->data_bits >= UART_DATA_BITS_MAX || uart_config->stop_bits >= UART_STOP_BITS_MAX ||
        uart_config->flow_ctrl >= UART_HW_FLOWCTRL_MAX) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    port->config = *uart_config;
    pthread_mutex_unlock(&s_lock);
    /* The link carries bytes, not bits: the line settings are kept for the log only. */
    esp_idf_host_log_line(ESP_LOG_DEBUG, TAG, "UART%d %d baud, %d data bits, parity %d, stop %d, flow %d",
                          uart_num, uart_config->baud_rate, 5 + (int)uart_config->data_bits,
                          (int)uart_config->parity, (int)uart_config->stop_bits, (int)uart_config->flow_ctrl);
    return ESP_OK;
}

esp_err_t uart_set_pin(uart_port_t uart_num, int tx_io_num, int rx_io_num, int rts_io_num, int cts_io_num)
{
    (void)rts_io_num;
    (void)cts_io_num;
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL || tx_io_num < UART_PIN_NO_CHANGE || rx_io_num < UART_PIN_NO_CHANGE || tx_io_num > 39 ||
        rx_io_num > 39) {
        return ESP_ERR_INVALID_ARG;
    }
    port->tx_pin = tx_io_num;
    port->rx_pin = rx_io_num;
    return ESP_OK;
}

esp_err_t uart_driver_install(uart_port_t uart_num, int rx_buffer_size, int tx_buffer_size, int queue_size,
                              QueueHandle_t *uart_queue, int intr_alloc_flags)
{
    (void)intr_alloc_flags;
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (rx_buffer_size <= UART_HW_FIFO_LEN(uart_num)) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "uart rx buffer length error");
        return ESP_ERR_INVALID_ARG;
    }
    if (tx_buffer_size != 0 && tx_buffer_size <= UART_HW_FIFO_LEN(uart_num)) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "uart tx buffer length error");
        return ESP_ERR_INVALID_ARG;
    }
    if (queue_size > 0 && uart_queue != NULL) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "UART event queues are not provided by the ESP-IDF host layer; "
                              "install with queue_size 0 / NULL and read with uart_read_bytes");
        return ESP_ERR_NOT_SUPPORTED;
    }
    uint8_t *ring = malloc((size_t)rx_buffer_size);
    if (ring == NULL) {
        return ESP_ERR_NO_MEM;
    }
    pthread_mutex_lock(&s_lock);
    if (port->installed) {
        pthread_mutex_unlock(&s_lock);
        free(ring);
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "UART driver already installed");
        return ESP_FAIL;
    }
    port->ring = ring;
    port->size = (size_t)rx_buffer_size;
    port->head = 0;
    port->count = 0;
    port->installed = true;
    pthread_mutex_unlock(&s_lock);
    esp_idf_host_log_line(ESP_LOG_DEBUG, TAG, "UART%d driver installed: RX ring %d bytes%s", uart_num,
                          rx_buffer_size, uart_num == s_link_port ? " (wired to the link)" : "");
    return ESP_OK;
}

esp_err_t uart_driver_delete(uart_port_t uart_num)
{
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    /* waits for a reader to leave uart_read_bytes, as ESP-IDF's driver takes rx_mux */
    pthread_mutex_lock(&s_lock);
    port->installed = false;
    pthread_cond_broadcast(&s_data);
    pthread_cond_broadcast(&s_space);
    pthread_mutex_unlock(&s_lock);
    pthread_mutex_lock(&port->reader);
    pthread_mutex_lock(&s_lock);
    free(port->ring);
    port->ring = NULL;
    port->size = port->head = port->count = 0;
    pthread_mutex_unlock(&s_lock);
    pthread_mutex_unlock(&port->reader);
    return ESP_OK;
}

bool uart_is_driver_installed(uart_port_t uart_num)
{
    uart_port_state_t *port = port_state(uart_num);
    return port != NULL && port->installed;
}

/* Copies up to len unread bytes out of the ring (s_lock held). */
static size_t ring_take(uart_port_state_t *port, uint8_t *out, size_t len)
{
    size_t taken = 0;
    while (taken < len && port->count > 0) {
        size_t run = port->size - port->head;
        if (run > port->count) {
            run = port->count;
        }
        if (run > len - taken) {
            run = len - taken;
        }
        memcpy(out + taken, port->ring + port->head, run);
        port->head = (port->head + run) % port->size;
        port->count -= run;
        taken += run;
    }
    return taken;
}

/* Waits for data until deadline (NULL: forever), in slices so a deleted task notices. s_lock held. */
static bool wait_for_data(uart_port_state_t *port, const struct timespec *deadline)
{
    while (port->count == 0 && port->installed && !host_task_deletion_pending()) {
        struct timespec slice = host_deadline_in_ms(50);
        const struct timespec *until = &slice;
        if (deadline != NULL && (deadline->tv_sec < slice.tv_sec ||
                                 (deadline->tv_sec == slice.tv_sec && deadline->tv_nsec < slice.tv_nsec))) {
            until = deadline;
        }
        if (!host_cond_wait_until(&s_data, &s_lock, until) && until == deadline) {
            return port->count > 0;
        }
    }
    return port->count > 0;
}

int uart_read_bytes(uart_port_t uart_num, void *buf, uint32_t length, TickType_t ticks_to_wait)
{
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL || buf == NULL || !port->installed) {
        return -1;
    }
    if (length == 0) {
        return 0;
    }
    const bool forever = ticks_to_wait == portMAX_DELAY;
    const uint64_t wait_ms = (uint64_t)ticks_to_wait * portTICK_PERIOD_MS;
    struct timespec deadline = host_deadline_in_ms(wait_ms);
    if (forever) {
        pthread_mutex_lock(&port->reader);
    } else if (pthread_mutex_clocklock(&port->reader, CLOCK_MONOTONIC, &deadline) != 0) {
        return -1;
    }
    size_t copied = 0;
    pthread_mutex_lock(&s_lock);
    while (copied < length && port->installed) {
        size_t got = ring_take(port, (uint8_t *)buf + copied, length - copied);
        if (got > 0) {
            copied += got;
            pthread_cond_broadcast(&s_space);
            continue;
        }
        if (ticks_to_wait == 0) {
            break;
        }
        /* the wait restarts with every arrival, as xRingbufferReceive's does per item */
        deadline = host_deadline_in_ms(wait_ms);
        if (!wait_for_data(port, forever ? NULL : &deadline)) {
            break;
        }
    }
    const bool gone = !port->installed;
    pthread_mutex_unlock(&s_lock);
    pthread_mutex_unlock(&port->reader);
    host_task_exit_if_deleted();
    return (gone && copied == 0) ? -1 : (int)copied;
}

int uart_write_bytes(uart_port_t uart_num, const void *src, size_t size)
{
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL || src == NULL || !port->installed) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "uart_write_bytes: UART%d driver not installed", uart_num);
        return -1;
    }
    if (size == 0) {
        return 0;
    }
    if (uart_num == s_link_port) {
        host_tx_emit(src, size);
    } else if (uart_num == UART_NUM_0) {
        /* UART0 is the console on an ESP32: show what the firmware prints there */
        ssize_t ignored = write(STDOUT_FILENO, src, size);
        (void)ignored;
    } else if (!port->tx_warned) {
        port->tx_warned = true;
        esp_idf_host_log_line(ESP_LOG_WARN, HOST_TAG, "UART%d is not wired to anything on the host (the link is "
                              "UART%d); its output is discarded", uart_num, s_link_port);
    }
    return (int)size;
}

esp_err_t uart_wait_tx_done(uart_port_t uart_num, TickType_t ticks_to_wait)
{
    (void)ticks_to_wait;
    /* uart_write_bytes hands bytes to the link before it returns: nothing is ever pending */
    return uart_is_driver_installed(uart_num) ? ESP_OK : ESP_FAIL;
}

esp_err_t uart_flush_input(uart_port_t uart_num)
{
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL || !port->installed) {
        return ESP_FAIL;
    }
    pthread_mutex_lock(&s_lock);
    port->head = 0;
    port->count = 0;
    pthread_cond_broadcast(&s_space);
    pthread_mutex_unlock(&s_lock);
    return ESP_OK;
}

esp_err_t uart_flush(uart_port_t uart_num)
{
    return uart_flush_input(uart_num);
}

esp_err_t uart_get_buffered_data_len(uart_port_t uart_num, size_t *size)
{
    uart_port_state_t *port = port_state(uart_num);
    if (port == NULL || size == NULL || !port->installed) {
        return ESP_FAIL;
    }
    pthread_mutex_lock(&s_lock);
    *size = port->count;
    pthread_mutex_unlock(&s_lock);
    return ESP_OK;
}

size_t CEspIdfHost_uartFeed(const uint8_t *bytes, size_t count, int max_wait_ms)
{
    uart_port_state_t *port = port_state(s_link_port);
    size_t accepted = 0;
    const char *why = NULL;
    pthread_mutex_lock(&s_lock);
    struct timespec deadline = host_deadline_in_ms(max_wait_ms > 0 ? (uint64_t)max_wait_ms : 0);
    while (accepted < count) {
        if (!port->installed) {
            why = "the link UART's driver is not installed";
            break;
        }
        size_t room = port->size - port->count;
        if (room == 0) {
            /* QEMU's chardev waits for the UART to take bytes; wait while the driver keeps reading */
            if (host_is_shutting_down() || !host_cond_wait_until(&s_space, &s_lock, &deadline)) {
                if (port->size - port->count == 0) {
                    why = "the driver did not read the RX ring";
                    break;
                }
            }
            continue;
        }
        size_t take = count - accepted < room ? count - accepted : room;
        for (size_t i = 0; i < take; i++) {
            port->ring[(port->head + port->count + i) % port->size] = bytes[accepted + i];
        }
        port->count += take;
        accepted += take;
        deadline = host_deadline_in_ms(max_wait_ms > 0 ? (uint64_t)max_wait_ms : 0);
        pthread_cond_broadcast(&s_data);
    }
    const size_t ring_size = port->size;
    s_offered += count;
    const uint64_t offered = s_offered;
    pthread_mutex_unlock(&s_lock);
    host_wire_fed(offered);
    if (accepted < count) {
        host_count(HOST_RX_OVERFLOW_BYTES, count - accepted);
        host_defect("uart-rx-overflow", "%zu bytes from the link dropped: %s within %d ms (UART%d RX ring %zu bytes)",
                    count - accepted, why != NULL ? why : "no room", max_wait_ms, s_link_port, ring_size);
    }
    return accepted;
}

size_t CEspIdfHost_uartDiscardInput(void)
{
    uart_port_state_t *port = port_state(s_link_port);
    pthread_mutex_lock(&s_lock);
    size_t dropped = port->count;
    const uint64_t consumed = s_offered - dropped;
    port->head = 0;
    port->count = 0;
    pthread_cond_broadcast(&s_space);
    pthread_mutex_unlock(&s_lock);
    host_wire_excuse_unread(consumed);
    host_count(HOST_DISCARDED_ON_DISCONNECT, dropped);
    return dropped;
}
