/*
 * The record check on the link's TX stream: the toolkit passes every byte the device
 * sends (in the wire's order) to host_tx_stream_observe, which parses the stream as the
 * peer's decoder will, counts the records and checks each one (valid length, no ARP
 * request for the gateway).  Both rules are the wire's (CUartTunnelWire), as for the
 * Swift side.
 *
 *   record: [len_hi][len_lo][Ethernet frame, len bytes (14 ..= 1518)]
 */
#include "probes/probes.h"

#include <stdlib.h>
#include <string.h>

#include "CUartTunnelWire.h"
#include "wifi/wifi.h"

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

/* stream parser state (s_lock) */
static enum { NEED_HI, NEED_LO, BODY } s_phase = NEED_HI;
static uint8_t s_hi;
static size_t s_expected, s_have;
/* The peer's limit (`--max-frame`): 1518, or up to 9018 where every end opts into jumbo frames. */
static size_t s_max_frame = CUartTunnelWire_MAX_FRAME;
static uint8_t s_head[CUartTunnelWire_ARP_FRAME];  /* the first bytes of the frame: enough for an ARP request */

/* An ARP request (who-has, never a gratuitous ARP) whose target is an esp_netif's gateway. */
static bool is_gateway_arp_request(const uint8_t *head, size_t frame_length)
{
    uint32_t target;
    const size_t seen = frame_length < sizeof s_head ? frame_length : sizeof s_head;
    return CUartTunnelWire_arpRequestTarget(head, seen, (uint8_t *)&target) && host_netif_is_gateway(target);
}

static void record_complete(void)
{
    host_count(HOST_TX_FRAMES, 1);
    host_count(HOST_TX_BYTES, s_expected + 2);
    /* A Wi-Fi station's link is its radio: ESP-IDF's default station netif ARPs for its gateway like any host. */
    if (!host_wifi_sta_attached() && is_gateway_arp_request(s_head, s_expected)) {
        host_defect("gateway-arp-request-on-wire",
                    "the device sent an ARP request for its gateway %u.%u.%u.%u; the firmware's static ARP entry "
                    "(etharp_add_static_entry) should make this unnecessary", s_head[38], s_head[39], s_head[40],
                    s_head[41]);
    }
}

/* Parses bytes as the peer's decoder will (s_lock held). */
static void parse(const uint8_t *bytes, size_t count)
{
    for (size_t i = 0; i < count;) {
        switch (s_phase) {
        case NEED_HI:
            s_hi = bytes[i++];
            s_phase = NEED_LO;
            break;
        case NEED_LO: {
            size_t len = ((size_t)s_hi << 8) | bytes[i++];
            if (!CUartTunnelWire_validFrameLengthUpTo(len, s_max_frame)) {
                host_defect("tx-invalid-length", "the device wrote a record length of %zu (valid: %d..%zu); the "
                            "peer skips its 2 bytes and reads the frame bytes as lengths", len,
                            CUartTunnelWire_MIN_FRAME, s_max_frame);
                s_phase = NEED_HI;
            } else {
                s_expected = len;
                s_have = 0;
                s_phase = BODY;
            }
            break;
        }
        case BODY: {
            size_t take = count - i < s_expected - s_have ? count - i : s_expected - s_have;
            if (s_have < sizeof s_head) {
                size_t head = take < sizeof s_head - s_have ? take : sizeof s_head - s_have;
                memcpy(s_head + s_have, bytes + i, head);
            }
            s_have += take;
            i += take;
            if (s_have == s_expected) {
                record_complete();
                s_phase = NEED_HI;
            }
            break;
        }
        }
    }
}

void host_tx_stream_set_max_frame(size_t max_frame)
{
    pthread_mutex_lock(&s_lock);
    s_max_frame = max_frame;
    pthread_mutex_unlock(&s_lock);
}

size_t host_tx_stream_max_frame(void)
{
    pthread_mutex_lock(&s_lock);
    const size_t max_frame = s_max_frame;
    pthread_mutex_unlock(&s_lock);
    return max_frame;
}

void host_tx_stream_observe(const uint8_t *bytes, size_t count)
{
    pthread_mutex_lock(&s_lock);
    parse(bytes, count);
    pthread_mutex_unlock(&s_lock);
}
