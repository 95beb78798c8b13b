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

typedef struct {
    const uint8_t *bytes;
    size_t count;
    uint64_t idle_us;
} fuzz_step_t;

/* The step at *offset (advanced past it); 0 when the input is used up. */
int fuzz_next_step(const uint8_t *data, size_t size, size_t *offset, fuzz_step_t *step);

#endif
