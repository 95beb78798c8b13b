/* The drivers layer's interface to the layers above: the link UART's two ends. */
#ifndef HOST_DRIVERS_H
#define HOST_DRIVERS_H

#include "rtos/rtos.h"

/* RX: link bytes into the link UART (FIFO model, ring, events).  Waits up to max_wait_ms for the firmware to make
 * room, then drops (and reports "uart-rx-overflow").  Returns the bytes accepted; *offered_total is the stream
 * offset after these bytes. */
size_t host_uart_link_feed(const uint8_t *bytes, size_t count, int max_wait_ms, uint64_t *offered_total);
/* The peer left: empties the link UART's input; returns the bytes dropped and, in *consumed, the stream offset the
 * firmware had read up to. */
size_t host_uart_link_discard(uint64_t *consumed);
/* Has the firmware installed the driver of the UART wired to the link? */
bool host_uart_link_installed(void);
void host_uart_set_link_port(int port);
/* The link's line rate (`--baud`): baud and half-bits per character; 0 baud: unpaced (TX never waits). */
void host_uart_set_line_rate(uint32_t baud, uint32_t half_bits_per_char);

/* TX: where the link UART's output goes (the toolkit installs it; called under one lock, in the wire's order). */
typedef void (*host_uart_link_sink_t)(void *context, const uint8_t *bytes, size_t count);
void host_uart_set_link_sink(host_uart_link_sink_t sink, void *context);
/* Bytes written to the link UART: captured (see below) or handed to the sink. */
void host_uart_link_write(const uint8_t *bytes, size_t count);
/* Writes made by this thread until capture_end are collected instead of sent (one linkoutput call → one piece). */
void host_uart_tx_capture_begin(void);
/* Stops collecting; returns the collected bytes (owned by the thread, valid until the next begin). */
const uint8_t *host_uart_tx_capture_end(size_t *count);

#endif
