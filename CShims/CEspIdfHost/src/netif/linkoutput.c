/*
 * The checking wrapper in front of a driver's linkoutput, and the netif timers.
 *
 * The driver sets netif->linkoutput after esp_netif adds the netif (ESP-IDF's
 * order), so the host puts its wrapper in front of it when the netif comes up
 * (action_connected, before the gratuitous ARP), when a static ARP entry is
 * added, and every 100 ms in case the driver changes it later.  For each frame:
 *
 *  - an ARP request for a static entry never reaches the driver: it is answered
 *    inside the host (static_arp.c), as the firmware's static entry would avoid it;
 *  - p gets an extra reference for the call: if the driver frees p, that reference
 *    keeps the pbuf alive for lwIP, and "linkoutput-frees-p" is reported;
 *  - writes to the link UART during the call are captured and sent as one piece;
 *    they must be exactly [len_hi][len_lo][frame], else "tx-frame-altered";
 *  - refusing a frame of 14..1514 bytes (error, or no bytes while the driver
 *    otherwise writes in linkoutput) is "tx-rejects-legal-frame".
 */
#include "host_internal.h"

#include <stdlib.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/timeouts.h>

#include "esp_log.h"

#define LEGAL_MAX_FRAME 1514
#define ADOPT_INTERVAL_MS 100
#define GARP_INTERVAL_MS 60000  /* ESP-IDF's CONFIG_LWIP_GARP_TMR_INTERVAL default */

static err_t host_linkoutput(struct netif *netif, struct pbuf *p);

void host_linkoutput_adopt(esp_netif_t *e)
{
    netif_linkoutput_fn current = e->lwip.linkoutput;
    if (current != NULL && current != host_linkoutput) {
        e->driver_linkoutput = current;
        e->lwip.linkoutput = host_linkoutput;
    }
}

static void check_record(esp_netif_t *e, const struct pbuf *p, const uint8_t *written, size_t count)
{
    const size_t len = p->tot_len;
    uint8_t *expected = malloc(len + 2);
    if (expected == NULL) {
        return;
    }
    expected[0] = (uint8_t)(len >> 8);
    expected[1] = (uint8_t)(len & 0xFF);
    pbuf_copy_partial(p, expected + 2, (u16_t)len, 0);
    if (count != len + 2 || memcmp(written, expected, count) != 0) {
        host_defect("tx-frame-altered", "linkoutput got a %zu-byte frame and wrote %zu bytes that are not its "
                    "record [len_hi][len_lo][frame] (truncated, padded or changed)", len, count);
    }
    free(expected);
    (void)e;
}

static err_t host_linkoutput(struct netif *netif, struct pbuf *p)
{
    esp_netif_t *e = host_netif_owner(netif);
    if (e == NULL || e->driver_linkoutput == NULL) {
        return ERR_IF;
    }
    if (host_static_arp_intercept(netif, p)) {
        return ERR_OK;
    }
    const u16_t len = p->tot_len;
    const u8_t ref_before = p->ref;
    pbuf_ref(p);
    host_tx_capture_begin();
    const err_t err = e->driver_linkoutput(netif, p);
    size_t count = 0;
    const uint8_t *written = host_tx_capture_end(&count);
    if (p->ref <= ref_before) {
        /* our extra reference absorbed the driver's pbuf_free: lwIP's p is still valid */
        host_defect("linkoutput-frees-p", "the driver's linkoutput called pbuf_free(p) on a %u-byte frame; p "
                    "belongs to lwIP, which frees it after linkoutput returns (a double free on an ESP32)", len);
    } else {
        pbuf_free(p);
    }
    if (count > 0) {
        e->sync_tx_seen = true;
        host_tx_emit(written, count);
        check_record(e, p, written, count);
    }
    const bool legal = len >= 14 && len <= LEGAL_MAX_FRAME;
    if (legal && err != ERR_OK) {
        host_defect("tx-rejects-legal-frame", "linkoutput returned %d for a %u-byte frame; frames up to %d bytes "
                    "(MTU 1500 + Ethernet header) are legal on this link", (int)err, len, LEGAL_MAX_FRAME);
    } else if (legal && count == 0 && e->sync_tx_seen) {
        host_defect("tx-rejects-legal-frame", "linkoutput returned OK for a %u-byte frame but wrote nothing "
                    "(it writes other frames synchronously): the frame was dropped", len);
    }
    return err;
}

/* Walks esp_netif's registry, not lwIP's netif_list: a netif that esp_netif_start never added (the seed's own
 * sequence) is up and default without being in netif_list. */
static void adopt_tick(void *arg)
{
    (void)arg;
    for (esp_netif_t *e = host_netif_next(NULL); e != NULL; e = host_netif_next(e)) {
        host_linkoutput_adopt(e);
    }
    sys_timeout(ADOPT_INTERVAL_MS, adopt_tick, NULL);
}

/* ESP-IDF's periodic gratuitous ARP for interfaces with ESP_NETIF_FLAG_GARP. */
static void garp_tick(void *arg)
{
    (void)arg;
    for (esp_netif_t *e = host_netif_next(NULL); e != NULL; e = host_netif_next(e)) {
        struct netif *netif = &e->lwip;
        if ((e->flags & ESP_NETIF_FLAG_GARP) && netif_is_up(netif) && netif_is_link_up(netif) &&
            !ip4_addr_isany_val(*netif_ip4_addr(netif))) {
            etharp_gratuitous(netif);
        }
    }
    sys_timeout(GARP_INTERVAL_MS, garp_tick, NULL);
}

void host_netif_timers_start(void)
{
    static bool started;
    if (!started) {
        started = true;
        sys_timeout(ADOPT_INTERVAL_MS, adopt_tick, NULL);
        sys_timeout(GARP_INTERVAL_MS, garp_tick, NULL);
    }
}
