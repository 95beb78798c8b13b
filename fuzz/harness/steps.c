#include "steps.h"

#include <string.h>

#include "CUartTunnelWire.h"

_Static_assert(FUZZ_CANARY_RECORD == CUartTunnelWire_LENGTH_PREFIX + CUartTunnelWire_ARP_FRAME, "the canary's size");

static uint64_t idle_us(uint8_t code)
{
    if (code <= 100) {
        return (uint64_t)code * 1000u;
    }
    return (uint64_t)(code - 100u) * 100000u;
}

int fuzz_next_step(const uint8_t *data, size_t size, size_t *offset, fuzz_step_t *step)
{
    size_t at = *offset;
    if (at + 3 > size) {
        return 0;
    }
    size_t count = (size_t)data[at] << 8 | data[at + 1];
    step->idle_us = idle_us(data[at + 2]);
    at += 3;
    if (count > size - at) {
        count = size - at;
    }
    step->bytes = data + at;
    step->count = count;
    *offset = at + count;
    return 1;
}

size_t fuzz_canary(uint8_t record[FUZZ_CANARY_RECORD])
{
    static const uint8_t host_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 }, zero[6] = { 0 };
    static const uint8_t host_ip[4] = { 192, 168, 100, 1 }, device_ip[4] = { 192, 168, 100, 2 };
    uint8_t *frame = record + CUartTunnelWire_LENGTH_PREFIX;
    (void)CUartTunnelWire_putRecordHeader(CUartTunnelWire_ARP_FRAME, record);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, host_mac, 6);
    frame[12] = 0x08;
    frame[13] = 0x06;
    CUartTunnelWire_putARP(frame + 14, 1, host_mac, host_ip, zero, device_ip);
    return FUZZ_CANARY_RECORD;
}

uint64_t fuzz_line_time_us(size_t count, uint64_t baud)
{
    return (uint64_t)count * 10u * 1000000u / baud;
}
