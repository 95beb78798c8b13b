/*
 * The wire's view of the fed bytes: every record valid by the tunnel's rules is handed to `on_frame` before its
 * bytes enter the driver — the oracle of every fuzz target.  The firmware harness notes each for the host
 * layer's "valid-frame-dropped" and "rx-frame-altered" probes (CEspIdfHost_noteWireFrame); the Swift targets
 * (fuzz/swift) compare the frames the Swift decoder or driver delivers with it.
 * The same rules as the device's RecordDecoder (Sources/UartTunnelWire/RecordDecoder.swift: a bad length
 * consumes its 2 bytes; a partial record expires `timeout` after its length completed, or after a lone first
 * length byte), on the virtual clock; bounds from CUartTunnelWire.
 */
#ifndef UART_TUNNEL_FUZZ_WIRE_VIEW_H
#define UART_TUNNEL_FUZZ_WIRE_VIEW_H

#include <stddef.h>
#include <stdint.h>

typedef void (*wire_view_frame_fn)(const uint8_t *frame, size_t length, void *context);

/* Between records again, with this partial-record timeout and this receiver of whole valid records. */
void wire_view_reset(uint64_t timeout_us, wire_view_frame_fn on_frame, void *context);
/* Bytes that arrived at now_us. */
void wire_view_feed(const uint8_t *bytes, size_t count, uint64_t now_us);
/* When the partial record expires (UINT64_MAX between records). */
uint64_t wire_view_deadline(void);

#endif
