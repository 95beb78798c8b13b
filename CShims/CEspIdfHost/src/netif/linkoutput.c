/*
 * The wrapper in front of a driver's linkoutput, and the netif timers.
 *
 * The driver sets netif->linkoutput itself (after esp_netif adds the netif, or on a netif
 * never added), so the host puts its wrapper in front of it when the netif comes up
 * (before the gratuitous ARP), when a static ARP entry is added, and every 100 ms in
 * case the driver changes it later.  For each frame:
 *
 *  - an ARP request for a static entry never reaches the driver: it is answered
 *    inside the host (static_arp.c), as the firmware's static entry would avoid it;
 *  - p gets an extra reference for the call, so a driver that frees p cannot free
 *    lwIP's pbuf under it (the observer is told);
 *  - writes to the link UART during the call are captured and sent as one piece, so a
 *    length and its frame leave in one TCP write;
 *  - the observer (the probes' checks, attached by the toolkit) sees the frame, what
 *    was written, the result and whether the driver freed p.
 */
#include "netif/netif.h"

#include <stdlib.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/timeouts.h>

#include "esp_log.h"

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

static host_linkoutput_observer_t s_observer;

void host_netif_set_linkoutput_observer(host_linkoutput_observer_t observer)
{
    s_observer = observer;
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
    const u8_t ref_before = p->ref;
    pbuf_ref(p);
    host_uart_tx_capture_begin();
    const err_t err = e->driver_linkoutput(netif, p);
    size_t count = 0;
    const uint8_t *written = host_uart_tx_capture_end(&count);
    /* if the driver freed p, our extra reference absorbed it and lwIP's p is still valid */
    const bool freed_p = p->ref <= ref_before;
    if (!freed_p) {
        pbuf_free(p);
    }
    host_uart_link_write(written, count);
    if (s_observer != NULL) {
        s_observer(e, p, written, count, err, freed_p);
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
