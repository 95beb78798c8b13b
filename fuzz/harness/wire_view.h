/*
 * The wire's view of the fed bytes, for the host layer's "valid-frame-dropped" and "rx-frame-altered" probes:
 * every record valid by the tunnel's rules is noted (CEspIdfHost_noteWireFrame) before its bytes enter the UART.
 * The same rules as the device's RecordDecoder (Sources/UartTunnelWire/RecordDecoder.swift: a bad length
 * consumes its 2 bytes; a partial record expires `timeout` after its length completed, or after a lone first
 * length byte), on the virtual clock; bounds from CUartTunnelWire.
 */
#ifndef UART_TUNNEL_FUZZ_WIRE_VIEW_H
#define UART_TUNNEL_FUZZ_WIRE_VIEW_H

#include <stddef.h>
#include <stdint.h>

void wire_view_reset(uint64_t timeout_us);
/* Bytes that arrived at now_us. */
void wire_view_feed(const uint8_t *bytes, size_t count, uint64_t now_us);
/* When the partial record expires (UINT64_MAX between records). */
uint64_t wire_view_deadline(void);

#endif
