/*
 * Checks on each linkoutput call of an esp_netif (the netif layer's linkoutput observer):
 *
 *  - the driver freed p: "linkoutput-frees-p" (a double free on an ESP32);
 *  - what it wrote to the link UART during the call is not exactly the frame's record
 *    [len_hi][len_lo][frame], as the wire's encoder (CUartTunnelWire) makes it:
 *    "tx-frame-altered" (a frame no record can carry is the TX stream probe's
 *    "tx-invalid-length");
 *  - it refused a legal frame, by an error or by writing nothing while it writes other
 *    frames synchronously: "tx-rejects-legal-frame".
 *
 * Legal and encodable mean what the wire rule (CUartTunnelWire_validFrameLengthUpTo) allows
 * up to the peer's limit, the device's --max-frame (CEspIdfHost_setMaxFrame, kept by
 * tx_stream.c): 14..1518 by default, up to 9018 where every end opts into jumbo frames.
 */
#include "probes/probes.h"

#include <stdlib.h>
#include <string.h>

#include "CUartTunnelWire.h"
#include "wifi/wifi.h"

static void check_record(const struct pbuf *p, const uint8_t *written, size_t count, size_t max_frame)
{
    const size_t len = p->tot_len;
    uint8_t *expected = malloc(len + CUartTunnelWire_LENGTH_PREFIX);
    if (expected == NULL) {
        return;
    }
    if (!CUartTunnelWire_putRecordHeaderUpTo(len, max_frame, expected)) {
        free(expected);  /* no record can carry it: the TX stream probe reports the length it was written with */
        return;
    }
    pbuf_copy_partial(p, expected + CUartTunnelWire_LENGTH_PREFIX, (u16_t)len, 0);
    if (count != len + CUartTunnelWire_LENGTH_PREFIX || memcmp(written, expected, count) != 0) {
        host_defect("tx-frame-altered", "linkoutput got a %zu-byte frame and wrote %zu bytes that are not its "
                    "record [len_hi][len_lo][frame] (truncated, padded or changed)", len, count);
    }
    free(expected);
}

void host_linkoutput_checks(esp_netif_t *esp_netif, const struct pbuf *p, const uint8_t *written, size_t count,
                            err_t err, bool freed_p)
{
    const u16_t len = p->tot_len;
    const size_t max_frame = host_tx_stream_max_frame();
    if (host_wifi_owns(esp_netif)) {
        return;  /* the host's own Wi-Fi driver (src/wifi/): these checks judge the firmware's driver */
    }
    if (freed_p) {
        host_defect("linkoutput-frees-p", "the driver's linkoutput called pbuf_free(p) on a %u-byte frame; p "
                    "belongs to lwIP, which frees it after linkoutput returns (a double free on an ESP32)", len);
    }
    if (count > 0) {
        esp_netif->sync_tx_seen = true;
        check_record(p, written, count, max_frame);
    }
    const bool legal = CUartTunnelWire_validFrameLengthUpTo(len, max_frame);
    if (legal && err != ERR_OK) {
        host_defect("tx-rejects-legal-frame", "linkoutput returned %d for a %u-byte frame; frames up to %zu bytes "
                    "(the link's --max-frame) are legal on this link", (int)err, len, max_frame);
    } else if (legal && count == 0 && esp_netif->sync_tx_seen) {
        host_defect("tx-rejects-legal-frame", "linkoutput returned OK for a %u-byte frame but wrote nothing "
                    "(it writes other frames synchronously): the frame was dropped", len);
    }
}
