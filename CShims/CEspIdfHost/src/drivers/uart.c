/*
 * The UART driver on the host: ESP-IDF v5.4's components/esp_driver_uart/src/uart.c
 * API over a modelled RX FIFO (uart_rx_isr.c) and pattern queue (uart_pattern.c).
 * The link port's RX line is fed by the link (host_uart_link_feed, through the toolkit); its TX side
 * goes to the link through tx_stream.c.  uart_read_bytes keeps ESP-IDF's
 * semantics (see driver/uart.h): each wait for data lasts up to ticks_to_wait and
 * restarts when bytes arrive; it returns what it has when a wait runs out.
 */
#include "uart_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "esp_log.h"

static const char *TAG = "uart";

#define UART_FULL_THRESH_DEFAULT 120     /* uart.c's defaults, set by uart_driver_install */
#define UART_TOUT_THRESH_DEFAULT 10
#define UART_PATTERN_DET_QLEN_DEFAULT 10
#define UART_RXFIFO_FULL_THRHD_V 0x7F    /* ESP32 register field limits */
#define UART_RX_TOUT_THRHD_V 0x7F
#define APB_CLK_FREQ 80000000u
#define REF_CLK_FREQ 1000000u
#define UART_CLKDIV_RESET (0x2B6u << 4)  /* ESP32 UART_CLKDIV_REG reset value */

pthread_mutex_t host_uart_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t host_uart_data;
pthread_cond_t host_uart_space;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static host_uart_port_t s_ports[UART_NUM_MAX];
static int s_link_port = UART_NUM_1;
static uint64_t s_offered;          /* link bytes offered to the UART so far (accepted or dropped) */

static void init_once(void)
{
    host_cond_init(&host_uart_data);
    host_cond_init(&host_uart_space);
    for (int i = 0; i < UART_NUM_MAX; i++) {
        s_ports[i].num = i;
        pthread_mutex_init(&s_ports[i].reader, NULL);
        s_ports[i].clk_div = UART_CLKDIV_RESET;
        s_ports[i].full_thresh = UART_FULL_THRESH_DEFAULT;
    }
}

host_uart_port_t *host_uart_port(uart_port_t uart_num)
{
    pthread_once(&s_once, init_once);
    return ((int)uart_num >= 0 && uart_num < UART_NUM_MAX) ? &s_ports[uart_num] : NULL;
}

void host_uart_set_link_port(int port)
{
    if (port >= 0 && port < UART_NUM_MAX) {
        s_link_port = port;
    }
}

bool host_uart_link_installed(void)
{
    return uart_is_driver_installed((uart_port_t)s_link_port);
}

void host_uart_wake_all(void)
{
    pthread_once(&s_once, init_once);
    pthread_mutex_lock(&host_uart_lock);
    pthread_cond_broadcast(&host_uart_data);
    pthread_cond_broadcast(&host_uart_space);
    pthread_mutex_unlock(&host_uart_lock);
}

// MARK: - Line settings

static uint32_t sclk_freq(const host_uart_port_t *port)
{
    return port->config.source_clk == UART_SCLK_REF_TICK ? REF_CLK_FREQ : APB_CLK_FREQ;
}

/* uart_ll_set_baudrate of an ESP32: a 4-bit fractional divider of the source clock */
static void set_baudrate(host_uart_port_t *port, uint32_t baud)
{
    if (baud == 0) {
        host_log_line(ESP_LOG_ERROR, TAG, "UART%d baud rate 0: uart_ll_set_baudrate divides by zero, "
                              "an ESP32 panics (IntegerDivideByZero)", port->num);
        host_firmware_abort("crashed");
    }
    uint32_t div = (sclk_freq(port) << 4) / baud;
    port->clk_div = div > 0 ? div : 1;
}

esp_err_t uart_param_config(uart_port_t uart_num, const uart_config_t *uart_config)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    const char *error = port == NULL ? "uart_num error"
                      : uart_config == NULL ? "param null"
                      : uart_config->rx_flow_ctrl_thresh >= UART_HW_FIFO_LEN(uart_num) ? "rx flow thresh error"
                      : uart_config->flow_ctrl >= UART_HW_FLOWCTRL_MAX ? "hw_flowctrl mode error"
                      : uart_config->data_bits >= UART_DATA_BITS_MAX ? "data bit error" : NULL;
    if (error != NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "%s", error);
        return ESP_FAIL;
    }
    if (uart_config->flags.allow_pd || uart_config->flags.backup_before_sleep) {
        /* an ESP32 has no SOC_UART_SUPPORT_SLEEP_RETENTION */
        host_log_line(ESP_LOG_ERROR, TAG, "not able to power down in light sleep");
        return ESP_ERR_NOT_SUPPORTED;
    }
    pthread_mutex_lock(&host_uart_lock);
    port->config = *uart_config;
    set_baudrate(port, (uint32_t)uart_config->baud_rate);
    port->fifo_len = 0;   /* uart_hal_rxfifo_rst */
    pthread_mutex_unlock(&host_uart_lock);
    /* The link carries bytes, not bits: the line settings are kept for the log only. */
    host_log_line(ESP_LOG_DEBUG, TAG, "UART%d %d baud, %d data bits, parity %d, stop %d, flow %d",
                          uart_num, uart_config->baud_rate, 5 + (int)uart_config->data_bits,
                          (int)uart_config->parity, (int)uart_config->stop_bits, (int)uart_config->flow_ctrl);
    return ESP_OK;
}

esp_err_t uart_set_baudrate(uart_port_t uart_num, uint32_t baudrate)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    set_baudrate(port, baudrate);
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

esp_err_t uart_get_baudrate(uart_port_t uart_num, uint32_t *baudrate)
{
    /* uart_ll_get_baudrate: what the divider gives, e.g. 115201 after 115200 on APB */
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || baudrate == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    *baudrate = (sclk_freq(port) << 4) / port->clk_div;
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

esp_err_t uart_set_pin(uart_port_t uart_num, int tx_io_num, int rx_io_num, int rts_io_num, int cts_io_num)
{
    (void)rts_io_num;
    (void)cts_io_num;
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || tx_io_num < UART_PIN_NO_CHANGE || rx_io_num < UART_PIN_NO_CHANGE || tx_io_num > 39 ||
        rx_io_num > 39) {
        return ESP_ERR_INVALID_ARG;
    }
    return ESP_OK;
}

// MARK: - Install

esp_err_t uart_driver_install(uart_port_t uart_num, int rx_buffer_size, int tx_buffer_size, int queue_size,
                              QueueHandle_t *uart_queue, int intr_alloc_flags)
{
    host_rtos_on_wake(host_uart_wake_all);  /* a task deleted while it waits in uart_read_bytes ends there */
    (void)intr_alloc_flags;
    host_uart_port_t *port = host_uart_port(uart_num);
    const char *error = port == NULL ? "uart_num error"
                      : rx_buffer_size <= UART_HW_FIFO_LEN(uart_num) ? "uart rx buffer length error"
                      : (tx_buffer_size != 0 && tx_buffer_size <= UART_HW_FIFO_LEN(uart_num))
                        ? "uart tx buffer length error" : NULL;
    if (error != NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "%s", error);
        return ESP_FAIL;
    }
    if (port->installed) {
        host_log_line(ESP_LOG_ERROR, TAG, "UART driver already installed");
        return ESP_FAIL;
    }
    /* uart_alloc_driver_obj: the event queue holds uart_event_t */
    uint8_t *ring = malloc((size_t)rx_buffer_size);
    QueueHandle_t queue = queue_size > 0 ? xQueueCreate((UBaseType_t)queue_size, sizeof(uart_event_t)) : NULL;
    if (ring == NULL || (queue_size > 0 && queue == NULL)) {
        free(ring);
        if (queue != NULL) {
            vQueueDelete(queue);
        }
        host_log_line(ESP_LOG_ERROR, TAG, "UART driver malloc error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    port->ring = ring;
    port->size = (size_t)rx_buffer_size;
    port->head = port->count = 0;
    port->stash_len = 0;
    port->buffer_full = false;
    port->event_queue = queue;
    port->events_dropped = 0;
    port->rx_int_usr_mask = HOST_UART_INTR_RX;
    host_uart_pattern_alloc(port, UART_PATTERN_DET_QLEN_DEFAULT);
    /* uart_intr_config with UART_INTR_CONFIG_FLAG: every other interrupt (pattern detection too) off */
    port->int_ena = HOST_UART_INTR_RX | HOST_UART_INTR_RXFIFO_OVF;
    port->full_thresh = UART_FULL_THRESH_DEFAULT;
    port->tout_thresh = UART_TOUT_THRESH_DEFAULT;
    port->pat_raw = false;
    port->fifo_len = 0;
    port->tx_ring_size = (size_t)tx_buffer_size;   /* uart_tx_line.c: how much a writer may leave unsent */
    port->tx_line_free_ns = 0;
    port->installed = true;
    pthread_mutex_unlock(&host_uart_lock);
    if (uart_queue != NULL) {
        *uart_queue = queue;
        /* as ESP-IDF, which asks even when queue_size is 0 (configASSERT on a NULL queue) */
        host_log_line(ESP_LOG_INFO, TAG, "queue free spaces: %u", (unsigned)uxQueueSpacesAvailable(queue));
    }
    host_log_line(ESP_LOG_DEBUG, TAG, "UART%d driver installed: RX ring %d bytes, event queue %d%s", uart_num,
                          rx_buffer_size, queue_size, (int)uart_num == s_link_port ? " (wired to the link)" : "");
    return ESP_OK;
}

esp_err_t uart_driver_delete(uart_port_t uart_num)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    if (!port->installed) {
        pthread_mutex_unlock(&host_uart_lock);
        host_log_line(ESP_LOG_INFO, TAG, "ALREADY NULL");
        return ESP_OK;
    }
    port->installed = false;
    port->int_ena = 0;
    pthread_cond_broadcast(&host_uart_data);
    pthread_cond_broadcast(&host_uart_space);
    pthread_mutex_unlock(&host_uart_lock);
    /* the host waits for a reader to leave uart_read_bytes; ESP-IDF leaves that to the caller */
    pthread_mutex_lock(&port->reader);
    pthread_mutex_lock(&host_uart_lock);
    free(port->ring);
    port->ring = NULL;
    port->size = port->head = port->count = 0;
    port->stash_len = 0;
    port->buffer_full = false;
    port->fifo_len = 0;
    host_uart_pattern_free(port);
    QueueHandle_t queue = port->event_queue;
    port->event_queue = NULL;
    pthread_mutex_unlock(&host_uart_lock);
    pthread_mutex_unlock(&port->reader);
    if (queue != NULL) {
        vQueueDelete(queue);
    }
    return ESP_OK;
}

bool uart_is_driver_installed(uart_port_t uart_num)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    return port != NULL && port->installed;
}

// MARK: - Reading

/* Copies up to len unread bytes out of the ring (host_uart_lock held). */
static size_t ring_take(host_uart_port_t *port, uint8_t *out, size_t len)
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

/* Waits for data until deadline (NULL: forever), in slices so a deleted task notices. Lock held. */
static bool wait_for_data(host_uart_port_t *port, const struct timespec *deadline)
{
    while (port->count == 0 && port->installed && !host_task_deletion_pending()) {
        struct timespec slice = host_slice_deadline_in_ms(50);
        const struct timespec *until = &slice;
        if (deadline != NULL && (deadline->tv_sec < slice.tv_sec ||
                                 (deadline->tv_sec == slice.tv_sec && deadline->tv_nsec < slice.tv_nsec))) {
            until = deadline;
        }
        if (!host_cond_wait_until(&host_uart_data, &host_uart_lock, until) && until == deadline) {
            return port->count > 0;
        }
    }
    return port->count > 0;
}

int uart_read_bytes(uart_port_t uart_num, void *buf, uint32_t length, TickType_t ticks_to_wait)
{
    host_uart_port_t *port = host_uart_port(uart_num);
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
    pthread_mutex_lock(&host_uart_lock);
    while (copied < length && port->installed) {
        size_t got = ring_take(port, (uint8_t *)buf + copied, length - copied);
        if (got > 0) {
            /* as uart_read_bytes: rx_buffered_len and pattern positions shrink, then uart_check_buf_full */
            copied += got;
            host_uart_pattern_update(port, (int)got);
            host_uart_check_buf_full(port);
            pthread_cond_broadcast(&host_uart_space);
            continue;
        }
        if (host_uart_check_buf_full(port)) {
            continue;
        }
        if (ticks_to_wait == 0) {
            break;
        }
        /* the wait restarts with every arrival, as xRingbufferReceiveUpTo's does per item */
        deadline = host_deadline_in_ms(wait_ms);
        if (!wait_for_data(port, forever ? NULL : &deadline) && !host_uart_check_buf_full(port)) {
            break;
        }
    }
    const bool gone = !port->installed;
    pthread_mutex_unlock(&host_uart_lock);
    pthread_mutex_unlock(&port->reader);
    host_task_exit_if_deleted();
    return (gone && copied == 0) ? -1 : (int)copied;
}

esp_err_t uart_get_buffered_data_len(uart_port_t uart_num, size_t *size)
{
    /* rx_buffered_len: the ring only, not the stash nor the FIFO */
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || size == NULL || !port->installed) {
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    *size = port->count;
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

/* Drops the ring, the stash and the FIFO (host_uart_lock held); returns how many bytes. */
static size_t drop_input(host_uart_port_t *port)
{
    size_t dropped = port->count + (port->buffer_full ? port->stash_len : 0) + port->fifo_len;
    host_uart_pattern_update(port, (int)port->count);
    if (port->buffer_full) {
        host_uart_pattern_update(port, (int)port->stash_len);
    }
    port->head = port->count = 0;
    port->buffer_full = false;
    port->fifo_len = 0;
    port->int_ena |= port->rx_int_usr_mask & HOST_UART_INTR_RX;
    pthread_cond_broadcast(&host_uart_space);
    return dropped;
}

esp_err_t uart_flush_input(uart_port_t uart_num)
{
    /* ESP-IDF: takes rx_mux, empties the ring (the stash goes in and out too), resets the FIFO */
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || !port->installed) {
        host_log_line(ESP_LOG_ERROR, TAG, port == NULL ? "uart_num error" : "uart driver error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&port->reader);
    pthread_mutex_lock(&host_uart_lock);
    if (port->installed) {
        drop_input(port);
    }
    pthread_mutex_unlock(&host_uart_lock);
    pthread_mutex_unlock(&port->reader);
    return ESP_OK;
}

esp_err_t uart_flush(uart_port_t uart_num)
{
    return uart_flush_input(uart_num);
}

// MARK: - RX interrupts and thresholds

static esp_err_t set_rx_intr(uart_port_t uart_num, bool enable)
{
    /* uart_enable_intr_mask/uart_disable_intr_mask record the user's choice in rx_int_usr_mask */
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || !port->installed) {
        host_log_line(ESP_LOG_ERROR, TAG, port == NULL ? "uart_num error" : "uart driver error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    if (enable) {
        port->rx_int_usr_mask |= HOST_UART_INTR_RX;
        port->int_ena |= HOST_UART_INTR_RX;
        host_uart_rx_isr(port);
    } else {
        port->rx_int_usr_mask &= ~HOST_UART_INTR_RX;
        port->int_ena &= ~HOST_UART_INTR_RX;
    }
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

esp_err_t uart_enable_rx_intr(uart_port_t uart_num)
{
    return set_rx_intr(uart_num, true);
}

esp_err_t uart_disable_rx_intr(uart_port_t uart_num)
{
    return set_rx_intr(uart_num, false);
}

esp_err_t uart_set_rx_full_threshold(uart_port_t uart_num, int threshold)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_ERR_INVALID_ARG;
    }
    if (threshold >= UART_RXFIFO_FULL_THRHD_V || threshold <= 0) {
        host_log_line(ESP_LOG_ERROR, TAG, "rx fifo full threshold value error");
        return ESP_ERR_INVALID_ARG;
    }
    if (!port->installed) {
        host_log_line(ESP_LOG_ERROR, TAG, "call uart_driver_install API first");
        return ESP_ERR_INVALID_STATE;
    }
    pthread_mutex_lock(&host_uart_lock);
    /* ESP-IDF writes the threshold only while the FULL interrupt is enabled (not while the ring is full) */
    if (port->int_ena & HOST_UART_INTR_RXFIFO_FULL) {
        port->full_thresh = threshold;
        host_uart_rx_isr(port);
    }
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

esp_err_t uart_set_rx_timeout(uart_port_t uart_num, const uint8_t tout_thresh)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_ERR_INVALID_ARG;
    }
    /* uart_ll_max_tout_thrd: the field counts 8 symbols on APB, 1/8 symbol on REF_TICK */
    const int max = port->config.source_clk == UART_SCLK_REF_TICK ? UART_RX_TOUT_THRHD_V / 8
                                                                   : UART_RX_TOUT_THRHD_V << 3;
    if (tout_thresh > max) {
        host_log_line(ESP_LOG_ERROR, TAG, "tout_thresh = %d > maximum value = %d", tout_thresh, max);
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&host_uart_lock);
    port->tout_thresh = tout_thresh;
    host_uart_rx_isr(port);
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

// MARK: - Writing

int uart_write_bytes(uart_port_t uart_num, const void *src, size_t size)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || src == NULL || !port->installed) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_write_bytes: UART%d driver not installed", uart_num);
        return -1;
    }
    if (size == 0) {
        return 0;
    }
    if ((int)uart_num == s_link_port) {
        host_uart_link_write(src, size);
        host_uart_tx_wait_for_room(port, size);  /* a paced line: as long as uart_tx_all would wait */
    } else if (uart_num == UART_NUM_0) {
        /* UART0 is the console on an ESP32: show what the firmware prints there */
        ssize_t ignored = write(STDOUT_FILENO, src, size);
        (void)ignored;
    } else if (!port->tx_warned) {
        port->tx_warned = true;
        host_log_line(ESP_LOG_WARN, HOST_TAG, "UART%d is not wired to anything on the host (the link is "
                              "UART%d); its output is discarded", uart_num, s_link_port);
    }
    return (int)size;
}

esp_err_t uart_wait_tx_done(uart_port_t uart_num, TickType_t ticks_to_wait)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || !port->installed) {
        return ESP_FAIL;
    }
    /* unpaced or another port: nothing is ever pending; a paced link UART: until its line is idle (uart_tx_line.c) */
    if ((int)uart_num != s_link_port) {
        return ESP_OK;
    }
    return host_uart_tx_wait_done(port, ticks_to_wait) ? ESP_OK : ESP_ERR_TIMEOUT;
}

// MARK: - The link

/*
 * The link's bytes arrive on the RX line one after the other into the FIFO; the
 * modelled ISR moves them on (uart_rx_isr.c).  The host's line has no baud rate:
 * a whole TCP read would arrive at once, faster than any firmware task could
 * read, where on the chip (or QEMU, whose chardev offers bytes only when the FIFO
 * has room) the reader task runs between FIFO reads.  So the link pauses, with
 * the line still busy (no RX timeout), whenever the ISR would otherwise find the
 * ring without room for a FIFO read, and whenever the FIFO is full because the
 * driver stopped moving data (ring full, or RX interrupts disabled).  A pause
 * lasts up to max_wait_ms, restarting with progress; when one runs out, the rest
 * of this call arrives as on the chip at line rate with nobody reading: the ISR
 * keeps the read it cannot store (UART_BUFFER_FULL), the FIFO fills, and each
 * byte that finds it full overflows it (its bytes and that byte are lost,
 * UART_FIFO_OVF).  Lost bytes are counted (rxOverflowBytes) and reported
 * ("uart-rx-overflow").  The Swift side's contract is unchanged: the call returns
 * once every byte is in the UART or lost, returning how many of this call's bytes
 * were not lost at that moment.
 */
static bool wait_for_room(host_uart_port_t *port, bool (*blocked)(const host_uart_port_t *), uint64_t wait_ms)
{
    struct timespec deadline = host_deadline_in_ms(wait_ms);
    while (blocked(port) && port->installed && !host_is_shutting_down() &&
           host_cond_wait_until(&host_uart_space, &host_uart_lock, &deadline)) {
    }
    return !blocked(port);
}

static bool fifo_full(const host_uart_port_t *port)
{
    return port->fifo_len == HOST_UART_FIFO_LEN;
}

size_t host_uart_link_feed(const uint8_t *bytes, size_t count, int max_wait_ms, uint64_t *offered_total)
{
    host_uart_port_t *port = host_uart_port(s_link_port);
    const uint64_t wait_ms = max_wait_ms > 0 ? (uint64_t)max_wait_ms : 0;
    size_t lost = 0, overflows = 0, fed = 0;
    bool gave_up = false;
    const char *why = NULL;
    pthread_mutex_lock(&host_uart_lock);
    port->line_busy = true;
    for (; fed < count; fed++) {
        if (!port->installed) {
            why = "the link UART's driver is not installed";
            break;
        }
        if (fifo_full(port) && !gave_up) {
            gave_up = !wait_for_room(port, fifo_full, wait_ms);
            if (!port->installed) {
                why = "the link UART's driver is not installed";
                break;
            }
        }
        if (fifo_full(port)) {
            lost += host_uart_fifo_overflow(port);
            overflows++;
            continue;
        }
        host_uart_line_byte(port, bytes[fed]);
        if (!gave_up && host_uart_rx_would_overfill(port)) {
            gave_up = !wait_for_room(port, host_uart_rx_would_overfill, wait_ms);
        }
        host_uart_rx_isr(port);
    }
    lost += count - fed;
    port->line_busy = false;   /* the line is idle: RX timeout */
    if (!gave_up && host_uart_rx_would_overfill(port)) {
        wait_for_room(port, host_uart_rx_would_overfill, wait_ms);
    }
    host_uart_rx_isr(port);
    const size_t ring_size = port->size;
    s_offered += count;
    *offered_total = s_offered;
    pthread_mutex_unlock(&host_uart_lock);
    if (lost > 0 && host_is_shutting_down()) {
        /* the firmware's tasks are ending: bytes still on the line are lost as when a chip is reset, no defect */
        host_count(HOST_RX_OVERFLOW_BYTES, lost);
    } else if (lost > 0) {
        host_count(HOST_RX_OVERFLOW_BYTES, lost);
        if (why != NULL) {
            host_defect("uart-rx-overflow", "%zu bytes from the link dropped: %s (UART%d)", lost, why, s_link_port);
        } else {
            host_defect("uart-rx-overflow", "%zu bytes from the link dropped: the driver did not read the RX ring "
                        "within %d ms (UART%d RX ring %zu bytes full, then the %d-byte RX FIFO overflowed %zu "
                        "times: UART_FIFO_OVF)", lost, max_wait_ms, s_link_port, ring_size, HOST_UART_FIFO_LEN,
                        overflows);
        }
    }
    return lost < count ? count - lost : 0;
}

size_t host_uart_link_discard(uint64_t *consumed)
{
    host_uart_port_t *port = host_uart_port(s_link_port);
    pthread_mutex_lock(&host_uart_lock);
    size_t dropped = drop_input(port);
    port->pat_run = 0;
    port->pat_raw = false;
    *consumed = s_offered - dropped;
    pthread_mutex_unlock(&host_uart_lock);
    host_count(HOST_DISCARDED_ON_DISCONNECT, dropped);
    return dropped;
}
