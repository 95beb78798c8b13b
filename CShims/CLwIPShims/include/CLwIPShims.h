// C shims for Debian's liblwip: the macros and globals that Swift can not import, as small out-of-line
// functions. Every name carries the module prefix `CLwIPShims_` (like SwiftNIO's CNIOLinux).
#ifndef CLWIPSHIMS_H
#define CLWIPSHIMS_H

#include <stdint.h>
#include <stddef.h>
#include <lwip/opt.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/ip4_addr.h>
#include <lwip/etharp.h>

/// Starts `tcpip_thread` once per process (lwIP is one global stack) and returns when its init has run: the one
/// `tcpip_init` of the process, whoever comes first (the Swift `LwIPStack`, or the ESP-IDF host layer's
/// `esp_netif_init`).
void CLwIPShims_startOnce(void);

/// `LOCK_TCPIP_CORE()` / `UNLOCK_TCPIP_CORE()`: every call into the core outside tcpip_thread needs them,
/// or Debian's sys_arch aborts with "Function called without core lock".
void CLwIPShims_lockCore(void);
void CLwIPShims_unlockCore(void);

/// `netif_default` and `netif_list` are C globals that Swift 6 refuses (shared mutable state).
struct netif *CLwIPShims_netifDefault(void);

/// `netif_is_up()` and `netif_is_link_up()` are function-like macros.
int CLwIPShims_netifIsUp(const struct netif *netif);
int CLwIPShims_netifIsLinkUp(const struct netif *netif);

/// Calls `netif->input(p, netif)`; on failure frees `p`, as lwIP's own drivers do. Returns the err_t.
err_t CLwIPShims_netifInput(struct netif *netif, struct pbuf *p);

/// Element size of PBUF_POOL as the *library* was built (`memp_PBUF_POOL.size`) and as *these headers* say it
/// should be (aligned `struct pbuf` + aligned `PBUF_POOL_BUFSIZE`). Debian 2.1.3 ships 616 vs 1560: a pool pbuf
/// of a full frame overruns its heap block.
uint16_t CLwIPShims_libraryPoolElementSize(void);
uint16_t CLwIPShims_headerPoolElementSize(void);
uint16_t CLwIPShims_headerPoolBufSize(void);

/// The PBUF_POOL size check, one home for both drivers: 1 when the library's pool element is what these headers
/// say (pool pbufs are safe), 0 when they differ (a pool pbuf may be smaller than the code that fills it thinks).
int CLwIPShims_pbufPoolConsistent(void);

/// The pbuf type to allocate a received frame with when `requested` was asked for: PBUF_RAM (one contiguous pbuf,
/// what a pool element of the promised size would have given) in place of PBUF_POOL when the pool check fails,
/// `requested` otherwise. The Swift netif asks for PBUF_POOL; the ESP-IDF host layer's pbuf_alloc passes the
/// firmware's request through it.
pbuf_type CLwIPShims_rxPbufType(pbuf_type requested);

/// One ARP table entry for `ip` on `netif`: returns 1 and fills `mac` (6 bytes) when lwIP has a stable entry.
int CLwIPShims_arpLookup(struct netif *netif, const ip4_addr_t *ip, uint8_t *mac);

/// Runs `etharp_tmr()` `ticks` times under the core lock: one tick is ARP_TMR_INTERVAL (1 s) of aging.
void CLwIPShims_etharpTicks(int ticks);

/// lwIP's compile-time option values as these headers define them (for the startup check and the audit).
int CLwIPShims_optionARPMaxAge(void);
int CLwIPShims_optionStaticARPEntries(void);

/// Any compile-time lwIP option these headers define, by its macro name (TCP_SND_BUF, LWIP_WND_SCALE,
/// MEMP_NUM_TCP_PCB, LWIP_IPV6, PBUF_POOL_SIZE, ARP_TABLE_SIZE, MEMP_MEM_MALLOC, …), for `uart-tunnel audit`.
/// Returns 1 and sets `*value` for a name in the shim's table, 0 for any other name.
int CLwIPShims_optionValue(const char *name, long *value);

/// Element size of memp pool `pool` (TCP_PCB, UDP_PCB, NETCONN, PBUF_POOL, …) as the *library* was built
/// (`memp_<pool>.size`, exported by liblwip) and as *these headers* say (aligned sizeof of its struct). A difference
/// means the library was built with other options than its headers carry. 0 for an unknown pool.
uint16_t CLwIPShims_libraryMempSize(const char *pool);
uint16_t CLwIPShims_headerMempSize(const char *pool);

#endif
