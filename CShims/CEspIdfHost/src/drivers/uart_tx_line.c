/*
 * The link UART's TX on a paced line (`--baud`).  On a chip the UART sends at the line
 * rate whatever the receiver does (no flow control), and a writer waits only for room
 * in the driver: ESP-IDF v5.4 uart_tx_all, with no TX ring, returns once its last bytes
 * are in the 128-byte hardware FIFO (uart_enable_tx_write_fifo, waiting on tx_fifo_sem);
 * with a ring of tx_buffer_size (uart_driver_install) it returns once its last chunk is
 * in the ring (xRingbufferSend, portMAX_DELAY), which the TX ISR empties into the FIFO.
 * uart_wait_tx_done waits, up to its ticks, for the line to go idle (TX_DONE).
 *
 * The model keeps, per port, when the line will have sent every byte written so far
 * (host clock, virtual under the fuzzer).  A write of n bytes extends that by n
 * character times and returns once at most ring + FIFO bytes are still unsent.  The
 * ring's item headers (NOSPLIT ring) are not modelled, so the host never blocks longer
 * than the chip.  The bytes themselves go to the link at once: the toolkit's line
 * stage puts them on the wire at the same rate, and a stalled TCP peer costs the link
 * records (counted there), never the writer time.
 */
#include "drivers/uart_internal.h"

static uint32_t s_baud;             /* 0: unpaced */
static uint32_t s_half_bits;        /* half-bits per character (start, data, parity, stop) */

void host_uart_set_line_rate(uint32_t baud, uint32_t half_bits_per_char)
{
    pthread_mutex_lock(&host_uart_lock);
    s_baud = half_bits_per_char == 0 ? 0 : baud;
    s_half_bits = half_bits_per_char;
    pthread_mutex_unlock(&host_uart_lock);
}

static uint64_t char_time_ns(uint64_t count)
{
    return count * s_half_bits * 1000000000ull / ((uint64_t)s_baud * 2);
}

/* Waits on the TX side until host_now_us() reaches until_ns (host_uart_lock held); false at the tick deadline. */
static bool wait_until(uint64_t until_ns, const struct timespec *give_up)
{
    while (host_now_us() * 1000 < until_ns) {
        uint64_t left_us = (until_ns - host_now_us() * 1000 + 999) / 1000;
        struct timespec deadline = host_deadline_in_us(left_us);
        if (give_up != NULL && (give_up->tv_sec < deadline.tv_sec ||
                                (give_up->tv_sec == deadline.tv_sec && give_up->tv_nsec < deadline.tv_nsec))) {
            if (!host_cond_wait_until(&host_uart_space, &host_uart_lock, give_up)) {
                return host_now_us() * 1000 >= until_ns;
            }
            continue;
        }
        host_cond_wait_until(&host_uart_space, &host_uart_lock, &deadline);
    }
    return true;
}

void host_uart_tx_wait_for_room(host_uart_port_t *port, size_t size)
{
    pthread_mutex_lock(&host_uart_lock);
    if (s_baud != 0) {
        uint64_t now_ns = host_now_us() * 1000;
        uint64_t start = port->tx_line_free_ns > now_ns ? port->tx_line_free_ns : now_ns;
        port->tx_line_free_ns = start + char_time_ns(size);
        uint64_t room = port->tx_ring_size + HOST_UART_FIFO_LEN;
        uint64_t held = char_time_ns(room);
        if (port->tx_line_free_ns > held) {
            wait_until(port->tx_line_free_ns - held, NULL);
        }
    }
    pthread_mutex_unlock(&host_uart_lock);
}

bool host_uart_tx_wait_done(host_uart_port_t *port, TickType_t ticks_to_wait)
{
    pthread_mutex_lock(&host_uart_lock);
    bool done = true;
    if (s_baud != 0) {
        if (ticks_to_wait == portMAX_DELAY) {
            done = wait_until(port->tx_line_free_ns, NULL);
        } else {
            struct timespec give_up = host_deadline_in_ms((uint64_t)ticks_to_wait * portTICK_PERIOD_MS);
            done = wait_until(port->tx_line_free_ns, &give_up);
        }
    }
    pthread_mutex_unlock(&host_uart_lock);
    return done;
}
