/*
 * The fuzz input: a sequence of steps, each the bytes the line carries and then how long it stays idle.
 *
 *   step:  [count_hi][count_lo][idle code][count bytes]      (a short last step takes what is left)
 *   idle code  0: none · 1…100: that many ms · 101…255: (code − 100) × 100 ms, 0.1 s … 15.5 s
 *
 * The single home of this format: `uart-tunnel fuzz` writes seeds with the same layout (FuzzSeedCorpus.swift)
 * and reads reproducers back from the harness's own step log, never by parsing inputs itself.
 */
#ifndef UART_TUNNEL_FUZZ_STEPS_H
#define UART_TUNNEL_FUZZ_STEPS_H

#include <stddef.h>
#include <stdint.h>

/* How every fuzz target plays its steps (the firmware's harness and the Swift ones alike): bytes in FIFO-sized
 * chunks at the line rate, the tunnel's partial-frame timeout, and after the last step this much idle line and
 * then the canary record, a valid frame any driver that resynchronises delivers. */
#define FUZZ_CHUNK 128u
#define FUZZ_DEFAULT_BAUD 115200u
#define FUZZ_RECORD_TIMEOUT_US 1000000u
#define FUZZ_FINAL_IDLE_US 1500000u
#define FUZZ_CANARY_RECORD 44u

typedef struct {
    const uint8_t *bytes;
    size_t count;
    uint64_t idle_us;
} fuzz_step_t;

/* The step at *offset (advanced past it); 0 when the input is used up. */
int fuzz_next_step(const uint8_t *data, size_t size, size_t *offset, fuzz_step_t *step);

/* The canary: one record (FUZZ_CANARY_RECORD bytes), an ARP request from the host (02:00:00:00:00:01,
 * 192.168.100.1) for the device's 192.168.100.2, built by the wire rules (CUartTunnelWire). */
size_t fuzz_canary(uint8_t record[FUZZ_CANARY_RECORD]);

/* Microseconds the line needs for `count` bytes at `baud` 8N1 (10 bits a byte). */
uint64_t fuzz_line_time_us(size_t count, uint64_t baud);

#endif
