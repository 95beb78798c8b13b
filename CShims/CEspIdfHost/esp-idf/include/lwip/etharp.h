/*
 * lwip/etharp.h on the host: Debian's header plus the static-entry API.
 *
 * Debian's liblwip is built with ETHARP_SUPPORT_STATIC_ENTRIES 0, so its header
 * has no etharp_add_static_entry.  ESP-IDF builds with static entries on
 * (CONFIG_LWIP_DHCPS_STATIC_ENTRIES), and the tunnel firmware relies on them.
 * The host layer implements both functions with static semantics (see
 * src/netif/static_arp.c); this header makes them visible where ESP-IDF code expects.
 * The option macro itself is left as Debian built it: struct layouts depend on it.
 */
#include_next <lwip/etharp.h>

#ifndef ESP_IDF_HOST_LWIP_ETHARP_STATIC_H
#define ESP_IDF_HOST_LWIP_ETHARP_STATIC_H

#ifdef __cplusplus
extern "C" {
#endif

/** ipaddr is-at ethaddr, never aged out, never asked on the wire.  Needs the core lock; ERR_RTE without a route. */
err_t etharp_add_static_entry(const ip4_addr_t *ipaddr, struct eth_addr *ethaddr);
err_t etharp_remove_static_entry(const ip4_addr_t *ipaddr);

#ifdef __cplusplus
}
#endif

#endif
