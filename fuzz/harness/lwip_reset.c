#include "lwip_reset.h"

#include <lwip/etharp.h>
#include <lwip/ip4_frag.h>
#include <lwip/ip6_frag.h>
#include <lwip/nd6.h>
#include <lwip/netif.h>
#include <lwip/priv/tcp_priv.h>
#include <lwip/tcp.h>

#define MAX_PCBS 1024   /* far above MEMP_NUM_TCP_PCB: the loops are bounded even if a list were corrupt */

static void clear_caches(struct netif *netif)
{
#if LWIP_ARP
    etharp_cleanup_netif(netif);
#endif
#if LWIP_IPV6
    nd6_cleanup_netif(netif);
#endif
}

int fuzz_lwip_reset(struct netif *netif)
{
#if IP_REASSEMBLY
    for (int i = 0; i <= IP_REASS_MAXAGE; i++) {
        ip_reass_tmr();
    }
#endif
#if LWIP_IPV6 && LWIP_IPV6_REASS
    for (int i = 0; i <= IPV6_REASS_MAXAGE; i++) {
        ip6_reass_tmr();
    }
#endif
    int aborted = 0;
    for (; tcp_active_pcbs != NULL && aborted < MAX_PCBS; aborted++) {
        tcp_abort(tcp_active_pcbs);   /* takes it off the list */
    }
    for (; tcp_tw_pcbs != NULL && aborted < 2 * MAX_PCBS; aborted++) {
        tcp_abort(tcp_tw_pcbs);
    }
    if (netif != NULL) {
        clear_caches(netif);
    } else {
        struct netif *each;
        NETIF_FOREACH(each) {
            clear_caches(each);
        }
    }
    return aborted;
}
