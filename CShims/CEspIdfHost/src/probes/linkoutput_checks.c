/*
 * Checks on each linkoutput call of an esp_netif (the netif layer's linkoutput observer):
 *
 *  - the driver freed p: "linkoutput-frees-p" (a double free on an ESP32);
 *  - what it wrote to the link UART during the call is not exactly the frame's record
 *    [len_hi][len_lo][frame], as the wire's encoder (CUartTunnelWire) makes it:
 *    "tx-frame-altered" (a frame no record can carry is the TX stream probe's
 *    "tx-invalid-length");
 *  - it refused a legal frame (14..1514 bytes), by an error or by writing nothing while
 *    it writes other frames synchronously: "tx-rejects-legal-frame".
 */
#include "probes/probes.h"

#include <stdlib.h>
#include <string.h>

#include "CUartTunnelWire.h"
#include "wifi/wifi.h"

#define LEGAL_MAX_FRAME 1514  /* MTU 1500 + the Ethernet header */

static void check_record(const struct pbuf *p, const uint8_t *written, size_t count)
{
    const size_t len = p->tot_len;
    uint8_t *expected = malloc(len + CUartTunnelWire_LENGTH_PREFIX);
    if (expected == NULL) {
        return;
    }
    if (!CUartTunnelWire_putRecordHeader(len, expected)) {
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
    if (host_wifi_owns(esp_netif)) {
        return;  /* the host's own Wi-Fi driver (src/wifi/): these checks judge the firmware's driver */
    }
    if (freed_p) {
        host_defect("linkoutput-frees-p", "the driver's linkoutput called pbuf_free(p) on a %u-byte frame; p "
                    "belongs to lwIP, which frees it after linkoutput returns (a double free on an ESP32)", len);
    }
    if (count > 0) {
        esp_netif->sync_tx_seen = true;
        check_record(p, written, count);
    }
    const bool legal = len >= CUartTunnelWire_MIN_FRAME && len <= LEGAL_MAX_FRAME;
    if (legal && err != ERR_OK) {
        host_defect("tx-rejects-legal-frame", "linkoutput returned %d for a %u-byte frame; frames up to %d bytes "
                    "(MTU 1500 + Ethernet header) are legal on this link", (int)err, len, LEGAL_MAX_FRAME);
    } else if (legal && count == 0 && esp_netif->sync_tx_seen) {
        host_defect("tx-rejects-legal-frame", "linkoutput returned OK for a %u-byte frame but wrote nothing "
                    "(it writes other frames synchronously): the frame was dropped", len);
    }
}
