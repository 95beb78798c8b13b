// The tunnel's wire rules, in one place for both device drivers: the Swift side (`UartTunnelWire` wraps each
// function) and the ESP-IDF host layer (CEspIdfHost's probes and static ARP call them directly). Bytes only: no
// lwIP, no allocation, no state. Every name carries the prefix `CUartTunnelWire_` (like SwiftNIO's CNIOLinux).
//
//  record:  [len_hi][len_lo][Ethernet frame, len bytes]   len big-endian, 14 ≤ len ≤ 1518 (9018 with jumbo frames)
//  frame:   [dst MAC 6][src MAC 6][type 2][payload]
#ifndef CUARTTUNNELWIRE_H
#define CUARTTUNNELWIRE_H

#include <stddef.h>
#include <stdint.h>

/// Bytes of the big-endian length in front of every frame.
#define CUartTunnelWire_LENGTH_PREFIX 2
/// The shortest frame a record may carry: an Ethernet header and nothing else.
#define CUartTunnelWire_MIN_FRAME 14
/// The longest by default: the firmware's `MAX_ETH_FRAME_SIZE`, a 1514-byte frame plus room for a VLAN tag or FCS.
#define CUartTunnelWire_MAX_FRAME 1518
/// The longest any end may opt into (`--max-frame`, `CONFIG_UART_TUNNEL_MAX_FRAME`): a 9000-byte jumbo MTU, its
/// 14-byte header and the same 4 bytes of room.
#define CUartTunnelWire_MAX_JUMBO_FRAME 9018
/// An Ethernet/IPv4 ARP packet (28 bytes) and the Ethernet frame that carries it, unpadded (42 bytes).
#define CUartTunnelWire_ARP_PACKET 28
#define CUartTunnelWire_ARP_FRAME 42

/// Exists so the record bounds have one home: 1 when a frame of `length` bytes may travel in a record
/// (14 ≤ length ≤ 1518), 0 when the firmware would skip its two length bytes.
int CUartTunnelWire_validFrameLength(size_t length);

/// The same rule for an end configured with a larger (jumbo) limit: 1 when 14 ≤ length ≤ `maxFrame`. `maxFrame`
/// outside 1518…9018 is taken as 1518, so a bad limit can never widen the rule past what any end accepts.
int CUartTunnelWire_validFrameLengthUpTo(size_t length, size_t maxFrame);

/// Exists so the record header has one home (the encoder): writes the big-endian length of a `length`-byte frame
/// to `header[0..1]` and returns 1; returns 0 and writes nothing for a length outside 14…1518.
int CUartTunnelWire_putRecordHeader(size_t length, uint8_t header[CUartTunnelWire_LENGTH_PREFIX]);

/// `CUartTunnelWire_putRecordHeader` for an end whose limit is `maxFrame` (see `validFrameLengthUpTo`).
int CUartTunnelWire_putRecordHeaderUpTo(size_t length, size_t maxFrame, uint8_t header[CUartTunnelWire_LENGTH_PREFIX]);

/// Exists so the ARP layout has one home: writes the 28-byte Ethernet/IPv4 ARP packet
/// [htype 1][ptype 0800][6][4][operation][sender MAC][sender IP][target MAC][target IP]. IPs in network order.
void CUartTunnelWire_putARP(uint8_t out[CUartTunnelWire_ARP_PACKET], uint16_t operation, const uint8_t senderMAC[6],
                            const uint8_t senderIP[4], const uint8_t targetMAC[6], const uint8_t targetIP[4]);

/// Exists so the static-ARP reply has one home: writes the 42-byte frame "`senderIP` is-at `senderMAC`" addressed
/// to `targetMAC` ([dst = targetMAC][src = senderMAC][0806][ARP reply]): what the gateway would send the device.
void CUartTunnelWire_arpReply(uint8_t frame[CUartTunnelWire_ARP_FRAME], const uint8_t senderMAC[6],
                              const uint8_t senderIP[4], const uint8_t targetMAC[6], const uint8_t targetIP[4]);

/// Exists so "is this an ARP request for the gateway" has one home: returns 1 and copies the target IP (network
/// order) to `target` when `frame` (`length` bytes) is an Ethernet/IPv4 ARP request (who-has) that asks for
/// another host; 0 for anything else: too short, not ARP, a reply, or a gratuitous ARP (sender IP == target IP:
/// a host announcing its own address, as link-up and ESP_NETIF_FLAG_GARP do). The caller compares `target` with
/// its gateway (or static entries): the request a static ARP entry makes unnecessary.
int CUartTunnelWire_arpRequestTarget(const uint8_t *frame, size_t length, uint8_t target[4]);

#endif
