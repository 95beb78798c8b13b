/*
 * etharp_add_static_entry with static semantics, for a liblwip built without
 * ETHARP_SUPPORT_STATIC_ENTRIES (Debian's).  The same idea as the Swift adapter's
 * StaticGatewayARP:
 *
 *  - adding an entry remembers (ip, mac) and seeds lwIP's ARP table with the
 *    reply that host would send ("ip is-at mac", addressed to this device),
 *    through tcpip_input;
 *  - any ARP request lwIP still makes for that ip (first use after aging out at
 *    ARP_MAXAGE, or the re-request near its end) is caught before the driver's
 *    linkoutput and answered with the same reply through tcpip_input (queued for
 *    tcpip_thread, never a re-entrant etharp_input).
 *
 * So the wire sees what an ESP32 with a real static entry sends: no request.
 * Which frames are such requests (CUartTunnelWire_arpRequestTarget) and the reply
 * frame (CUartTunnelWire_arpReply) are wire rules the Swift adapter shares:
 *   [dst = device MAC][src = mac][0806][0001][0800][06][04][0002][mac][ip][device MAC][device IP]
 */
#include "netif/netif.h"

#include <lwip/etharp.h>
#include <lwip/ip4.h>
#include <lwip/prot/etharp.h>
#include <lwip/prot/ethernet.h>
#include <lwip/sys.h>

#include "CUartTunnelWire.h"

#define MAX_STATIC 8

static struct {
    bool used;
    ip4_addr_t ip;
    struct eth_addr mac;
} s_entries[MAX_STATIC];    /* guarded by the core lock: every caller holds it */

/* Queues "ip is-at mac" to netif's stack as if the host had sent it. */
static void inject_reply(struct netif *netif, const ip4_addr_t *ip, const struct eth_addr *mac)
{
    uint8_t frame[CUartTunnelWire_ARP_FRAME];
    const uint32_t own = ip4_addr_get_u32(netif_ip4_addr(netif));
    CUartTunnelWire_arpReply(frame, mac->addr, (const uint8_t *)&ip->addr, netif->hwaddr, (const uint8_t *)&own);
    struct pbuf *p = pbuf_alloc(PBUF_RAW, sizeof frame, PBUF_RAM);
    if (p == NULL) {
        return;
    }
    pbuf_take(p, frame, sizeof frame);
    /* not through the interposed tcpip_input: this frame was never on the wire */
    if (host_real_tcpip_input(p, netif) != ERR_OK) {
        pbuf_free(p);
    }
}

err_t etharp_add_static_entry(const ip4_addr_t *ipaddr, struct eth_addr *ethaddr)
{
    LWIP_ASSERT_CORE_LOCKED();
    if (ipaddr == NULL || ethaddr == NULL) {
        return ERR_ARG;
    }
    struct netif *netif = ip4_route(ipaddr);
    if (netif == NULL) {
        return ERR_RTE;
    }
    int slot = -1;
    for (int i = 0; i < MAX_STATIC; i++) {
        if (s_entries[i].used && ip4_addr_cmp(&s_entries[i].ip, ipaddr)) {
            slot = i;
            break;
        }
        if (!s_entries[i].used && slot < 0) {
            slot = i;
        }
    }
    if (slot < 0) {
        return ERR_MEM;  /* like a full ARP table */
    }
    s_entries[slot].used = true;
    ip4_addr_copy(s_entries[slot].ip, *ipaddr);
    s_entries[slot].mac = *ethaddr;
    esp_netif_t *e = host_netif_owner(netif);
    if (e != NULL) {
        host_linkoutput_adopt(e);
    }
    inject_reply(netif, ipaddr, ethaddr);
    return ERR_OK;
}

err_t etharp_remove_static_entry(const ip4_addr_t *ipaddr)
{
    LWIP_ASSERT_CORE_LOCKED();
    for (int i = 0; ipaddr != NULL && i < MAX_STATIC; i++) {
        if (s_entries[i].used && ip4_addr_cmp(&s_entries[i].ip, ipaddr)) {
            s_entries[i].used = false;  /* lwIP's copy now ages out like any entry */
            return ERR_OK;
        }
    }
    return ERR_VAL;
}

bool host_static_arp_intercept(struct netif *netif, const struct pbuf *p)
{
    uint8_t frame[CUartTunnelWire_ARP_FRAME];
    const u16_t copied = p->tot_len < sizeof frame ? 0 : pbuf_copy_partial(p, frame, sizeof frame, 0);
    ip4_addr_t target;
    if (copied != sizeof frame || !CUartTunnelWire_arpRequestTarget(frame, sizeof frame, (uint8_t *)&target.addr)) {
        return false;
    }
    for (int i = 0; i < MAX_STATIC; i++) {
        if (s_entries[i].used && ip4_addr_cmp(&s_entries[i].ip, &target)) {
            host_count(HOST_GATEWAY_ARP_LOCAL, 1);
            inject_reply(netif, &s_entries[i].ip, &s_entries[i].mac);
            return true;
        }
    }
    return false;
}
