#include "wire_view.h"

#include "CUartTunnelWire.h"

enum phase { LENGTH, LENGTH_LOW, BODY };

static struct {
    enum phase phase;
    uint8_t high;
    size_t expected, fill;
    uint64_t deadline, timeout;
    wire_view_frame_fn on_frame;
    void *context;
    uint8_t frame[CUartTunnelWire_MAX_FRAME];
} s;

void wire_view_reset(uint64_t timeout_us, wire_view_frame_fn on_frame, void *context)
{
    s.on_frame = on_frame;
    s.context = context;
    s.phase = LENGTH;
    s.fill = 0;
    s.deadline = UINT64_MAX;
    s.timeout = timeout_us;
}

uint64_t wire_view_deadline(void)
{
    return s.deadline;
}

static void start_over(void)
{
    s.phase = LENGTH;
    s.fill = 0;
    s.deadline = UINT64_MAX;
}

static void length_complete(size_t length, uint64_t now)
{
    if (CUartTunnelWire_validFrameLength(length)) {
        s.phase = BODY;
        s.expected = length;
        s.fill = 0;
        s.deadline = now + s.timeout;
    } else {
        start_over();
    }
}

void wire_view_feed(const uint8_t *bytes, size_t count, uint64_t now)
{
    if (s.deadline != UINT64_MAX && now >= s.deadline) {
        start_over();
    }
    for (size_t i = 0; i < count;) {
        /* Between records with a whole length in hand: a bad one is skipped, a record whose body is all here is
         * handed over where it lies. The same rules as the byte-at-a-time states below, without a state per byte. */
        if (s.phase == LENGTH && count - i >= 2) {
            const size_t length = (size_t)bytes[i] << 8 | bytes[i + 1];
            if (!CUartTunnelWire_validFrameLength(length)) {
                i += 2;
                continue;
            }
            if (count - i - 2 >= length) {
                s.on_frame(bytes + i + 2, length, s.context);
                i += 2 + length;
                continue;
            }
        }
        switch (s.phase) {
        case LENGTH:
            s.high = bytes[i++];
            s.phase = LENGTH_LOW;
            s.deadline = now + s.timeout;
            break;
        case LENGTH_LOW:
            length_complete((size_t)s.high << 8 | bytes[i++], now);
            break;
        case BODY: {
            size_t take = s.expected - s.fill < count - i ? s.expected - s.fill : count - i;
            for (size_t k = 0; k < take; k++) {
                s.frame[s.fill + k] = bytes[i + k];
            }
            s.fill += take;
            i += take;
            if (s.fill == s.expected) {
                s.on_frame(s.frame, s.expected, s.context);
                start_over();
            }
            break;
        }
        }
    }
}
