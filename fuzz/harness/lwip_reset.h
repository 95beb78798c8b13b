/*
 * What one fuzz input leaves in lwIP that the next must not inherit, cleared as far as lwIP's own calls allow, so
 * every input starts from the state the device had after its start-up (shared by every target's harness):
 *
 *   IP fragments waiting for the rest   aged out by lwIP's reassembly timers (ip_reass_tmr, ip6_reass_tmr), run
 *                                       as often as their maximum age: a buffer the driver lent comes back
 *   TCP connections, TIME-WAIT          tcp_abort() each (the peer gets a RST; a socket's owner sees ERR_ABRT)
 *   the netif's ARP and IPv6 neighbour  etharp_cleanup_netif, nd6_cleanup_netif.  A static entry survives: the
 *   caches                              host layer (netif/static_arp.c) and the Swift adapter (StaticGatewayARP)
 *                                       answer lwIP's next request for it themselves, as after it ages out
 *
 * What stays, because lwIP offers no way to clear it without taking the netif down (which a device never does
 * between frames): listening TCP pcbs and bound UDP pcbs (the firmware's servers), lwIP's statistics and its
 * IP ID / TCP ISN counters, and the firmware's own memory.
 *
 * The caller holds lwIP's core lock.
 */
#ifndef UART_TUNNEL_FUZZ_LWIP_RESET_H
#define UART_TUNNEL_FUZZ_LWIP_RESET_H

struct netif;

/* Clears the above; netif NULL: the caches of every netif. Returns how many TCP pcbs it aborted. */
int fuzz_lwip_reset(struct netif *netif);

#endif
