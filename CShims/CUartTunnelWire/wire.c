// See CUartTunnelWire.h: why each function exists.
#include "CUartTunnelWire.h"

#include <string.h>

int CUartTunnelWire_validFrameLengthUpTo(size_t length, size_t maxFrame) {
    if (maxFrame < CUartTunnelWire_MAX_FRAME || maxFrame > CUartTunnelWire_MAX_JUMBO_FRAME) {
        maxFrame = CUartTunnelWire_MAX_FRAME;
    }
    return length >= CUartTunnelWire_MIN_FRAME && length <= maxFrame;
}

int CUartTunnelWire_validFrameLength(size_t length) {
    return CUartTunnelWire_validFrameLengthUpTo(length, CUartTunnelWire_MAX_FRAME);
}

int CUartTunnelWire_putRecordHeader(size_t length, uint8_t header[CUartTunnelWire_LENGTH_PREFIX]) {
    return CUartTunnelWire_putRecordHeaderUpTo(length, CUartTunnelWire_MAX_FRAME, header);
}

int CUartTunnelWire_putRecordHeaderUpTo(size_t length, size_t maxFrame, uint8_t header[CUartTunnelWire_LENGTH_PREFIX]) {
    if (!CUartTunnelWire_validFrameLengthUpTo(length, maxFrame)) {
        return 0;
    }
    header[0] = (uint8_t)(length >> 8);
    header[1] = (uint8_t)(length & 0xFF);
    return 1;
}

// Offsets in an Ethernet frame carrying an ARP packet.
enum {
    ETH_DST = 0, ETH_SRC = 6, ETH_TYPE = 12, ARP = 14,
    ARP_HTYPE = 0, ARP_PTYPE = 2, ARP_HLEN = 4, ARP_PLEN = 5, ARP_OPER = 6,
    ARP_SHA = 8, ARP_SPA = 14, ARP_THA = 18, ARP_TPA = 24,
    ARP_REQUEST = 1, ARP_REPLY = 2,
};

void CUartTunnelWire_putARP(uint8_t out[CUartTunnelWire_ARP_PACKET], uint16_t operation, const uint8_t senderMAC[6],
                            const uint8_t senderIP[4], const uint8_t targetMAC[6], const uint8_t targetIP[4]) {
    out[ARP_HTYPE] = 0x00; out[ARP_HTYPE + 1] = 0x01;  // Ethernet
    out[ARP_PTYPE] = 0x08; out[ARP_PTYPE + 1] = 0x00;  // IPv4
    out[ARP_HLEN] = 6;
    out[ARP_PLEN] = 4;
    out[ARP_OPER] = (uint8_t)(operation >> 8);
    out[ARP_OPER + 1] = (uint8_t)(operation & 0xFF);
    memcpy(out + ARP_SHA, senderMAC, 6);
    memcpy(out + ARP_SPA, senderIP, 4);
    memcpy(out + ARP_THA, targetMAC, 6);
    memcpy(out + ARP_TPA, targetIP, 4);
}

void CUartTunnelWire_arpReply(uint8_t frame[CUartTunnelWire_ARP_FRAME], const uint8_t senderMAC[6],
                              const uint8_t senderIP[4], const uint8_t targetMAC[6], const uint8_t targetIP[4]) {
    memcpy(frame + ETH_DST, targetMAC, 6);
    memcpy(frame + ETH_SRC, senderMAC, 6);
    frame[ETH_TYPE] = 0x08;
    frame[ETH_TYPE + 1] = 0x06;
    CUartTunnelWire_putARP(frame + ARP, ARP_REPLY, senderMAC, senderIP, targetMAC, targetIP);
}

int CUartTunnelWire_arpRequestTarget(const uint8_t *frame, size_t length, uint8_t target[4]) {
    if (frame == NULL || length < CUartTunnelWire_ARP_FRAME) {
        return 0;
    }
    const uint8_t *arp = frame + ARP;
    if (frame[ETH_TYPE] != 0x08 || frame[ETH_TYPE + 1] != 0x06 ||
        arp[ARP_HTYPE] != 0x00 || arp[ARP_HTYPE + 1] != 0x01 || arp[ARP_PTYPE] != 0x08 ||
        arp[ARP_PTYPE + 1] != 0x00 || arp[ARP_HLEN] != 6 || arp[ARP_PLEN] != 4 ||
        arp[ARP_OPER] != 0x00 || arp[ARP_OPER + 1] != ARP_REQUEST) {
        return 0;
    }
    if (memcmp(arp + ARP_SPA, arp + ARP_TPA, 4) == 0) {
        return 0;  // gratuitous: the sender announces its own address, it asks for no one
    }
    memcpy(target, arp + ARP_TPA, 4);
    return 1;
}
