/*
 * ip4_route, interposed: lwIP's forwarding decision as ESP-IDF v5.4 builds it.
 *
 * v5.4's lwipopts.h (components/lwip/port/include) sets IP_FORWARD only with
 * CONFIG_LWIP_IP_FORWARD (Kconfig default n): a packet for another host that arrives on
 * one netif (a soft-AP station's, say) is dropped by ip4_input, never routed out of
 * another (the station netif).  Debian's liblwip is built with IP_FORWARD 1, so its
 * ip4_input would forward it.  ip4_forward is static and inlined into ip4_input, and its
 * route lookup is the only ip4_route call ip4_input makes: a lookup called from ip4_input is
 * a forwarding one.  While forwarding is off it finds no route, and lwIP drops the packet
 * without an answer (no ICMP), as ESP-IDF's ip4_input does; every other lookup (sockets,
 * TCP, etharp) is liblwip's own.  With one netif nothing changes: lwIP never forwards back
 * out of the netif a packet came in on.
 */
#include "netif/netif.h"

#include <dlfcn.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <lwip/ip4.h>

typedef struct netif *(*route_fn)(const ip4_addr_t *dest);

static route_fn s_real;
static uintptr_t s_input_start, s_input_end;   /* liblwip's ip4_input */
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static atomic_bool s_forwarding;               /* CONFIG_LWIP_IP_FORWARD of the firmware's sdkconfig */
static atomic_uint_fast64_t s_refused;

static void resolve(void)
{
    s_real = (route_fn)dlsym(RTLD_NEXT, "ip4_route");
    void *input = dlsym(RTLD_DEFAULT, "ip4_input");
    Dl_info info;
    const ElfW(Sym) *symbol = NULL;
    if (s_real == NULL || input == NULL || dladdr1(input, &info, (void **)&symbol, RTLD_DL_SYMENT) == 0 ||
        symbol == NULL) {
        fprintf(stderr, "esp_idf_host: liblwip's ip4_route or ip4_input not found\n");
        abort();
    }
    s_input_start = (uintptr_t)input;
    s_input_end = s_input_start + symbol->st_size;
}

struct netif *ip4_route(const ip4_addr_t *dest)
{
    pthread_once(&s_once, resolve);
    const uintptr_t caller = (uintptr_t)__builtin_return_address(0);
    if (caller >= s_input_start && caller < s_input_end && !atomic_load(&s_forwarding)) {
        atomic_fetch_add(&s_refused, 1);
        return NULL;   /* ip4_forward: no route, the packet is dropped */
    }
    return s_real(dest);
}

void host_netif_set_ip_forward(bool on)
{
    atomic_store(&s_forwarding, on);
}

uint64_t host_netif_forwards_refused(void)
{
    return atomic_load(&s_refused);
}
