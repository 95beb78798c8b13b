// See CLwIPShims.h: why each shim exists.
#include "CLwIPShims.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <lwip/tcpip.h>
#include <lwip/sys.h>
#include <lwip/priv/memp_priv.h>

// Declared by memp.h only through a macro; the symbol is exported by liblwip.
extern const struct memp_desc memp_PBUF_POOL;

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static sys_sem_t start_done;

static void start_done_callback(void *arg) {
    (void)arg;
    sys_sem_signal(&start_done);
}

static void start_stack(void) {
    if (sys_sem_new(&start_done, 0) != ERR_OK) {
        abort();
    }
    tcpip_init(start_done_callback, NULL);
    sys_sem_wait(&start_done);
    sys_sem_free(&start_done);
}

void CLwIPShims_startOnce(void) {
    pthread_once(&start_once, start_stack);
}

void CLwIPShims_lockCore(void) { sys_lock_tcpip_core(); }
void CLwIPShims_unlockCore(void) { sys_unlock_tcpip_core(); }

struct netif *CLwIPShims_netifDefault(void) { return netif_default; }

int CLwIPShims_netifIsUp(const struct netif *netif) {
    assert(netif != NULL);
    return netif_is_up(netif) ? 1 : 0;
}

int CLwIPShims_netifIsLinkUp(const struct netif *netif) {
    assert(netif != NULL);
    return netif_is_link_up(netif) ? 1 : 0;
}

err_t CLwIPShims_netifInput(struct netif *netif, struct pbuf *p) {
    assert(netif != NULL && p != NULL && netif->input != NULL);
    err_t err = netif->input(p, netif);
    if (err != ERR_OK) {
        pbuf_free(p);
    }
    return err;
}

uint16_t CLwIPShims_libraryPoolElementSize(void) { return memp_PBUF_POOL.size; }

uint16_t CLwIPShims_headerPoolElementSize(void) {
    return (uint16_t)(LWIP_MEM_ALIGN_SIZE(sizeof(struct pbuf)) + LWIP_MEM_ALIGN_SIZE(PBUF_POOL_BUFSIZE));
}

uint16_t CLwIPShims_headerPoolBufSize(void) { return (uint16_t)PBUF_POOL_BUFSIZE; }

int CLwIPShims_pbufPoolConsistent(void) {
    return CLwIPShims_libraryPoolElementSize() == CLwIPShims_headerPoolElementSize();
}

pbuf_type CLwIPShims_rxPbufType(pbuf_type requested) {
    return requested == PBUF_POOL && !CLwIPShims_pbufPoolConsistent() ? PBUF_RAM : requested;
}

int CLwIPShims_arpLookup(struct netif *netif, const ip4_addr_t *ip, uint8_t *mac) {
    assert(netif != NULL && ip != NULL && mac != NULL);
    int found = 0;
    sys_lock_tcpip_core();
    for (size_t i = 0; i < ARP_TABLE_SIZE; i++) {
        ip4_addr_t *entry_ip;
        struct netif *entry_netif;
        struct eth_addr *entry_mac;
        if (etharp_get_entry(i, &entry_ip, &entry_netif, &entry_mac) && entry_netif == netif &&
            ip4_addr_cmp(entry_ip, ip)) {
            memcpy(mac, entry_mac->addr, ETH_HWADDR_LEN);
            found = 1;
            break;
        }
    }
    sys_unlock_tcpip_core();
    return found;
}

void CLwIPShims_etharpTicks(int ticks) {
    for (int i = 0; i < ticks; i++) {
        sys_lock_tcpip_core();
        etharp_tmr();
        sys_unlock_tcpip_core();
    }
}

int CLwIPShims_optionARPMaxAge(void) { return ARP_MAXAGE; }
int CLwIPShims_optionStaticARPEntries(void) { return ETHARP_SUPPORT_STATIC_ENTRIES; }

// ---- Option audit: compile-time options and memp element sizes (see CLwIPShims.h) ----
#include <lwip/priv/tcp_priv.h>
#include <lwip/priv/api_msg.h>
#include <lwip/priv/tcpip_priv.h>
#include <lwip/ip4_frag.h>
#include <lwip/timeouts.h>
#include <lwip/netbuf.h>
#include <lwip/raw.h>
#include <lwip/udp.h>

#ifndef LWIP_TCP_SACK_OUT
#define LWIP_TCP_SACK_OUT 0
#endif

struct clwipshims_option {
    const char *name;
    long value;
};

#define CLWIPSHIMS_OPTION(name) {#name, (long)(name)}
static const struct clwipshims_option clwipshims_options[] = {
    CLWIPSHIMS_OPTION(TCP_MSS), CLWIPSHIMS_OPTION(TCP_WND), CLWIPSHIMS_OPTION(TCP_SND_BUF),
    CLWIPSHIMS_OPTION(TCP_SND_QUEUELEN), CLWIPSHIMS_OPTION(LWIP_WND_SCALE), CLWIPSHIMS_OPTION(TCP_RCV_SCALE),
    CLWIPSHIMS_OPTION(TCP_MAXRTX), CLWIPSHIMS_OPTION(TCP_SYNMAXRTX), CLWIPSHIMS_OPTION(TCP_QUEUE_OOSEQ),
    CLWIPSHIMS_OPTION(TCP_TMR_INTERVAL), CLWIPSHIMS_OPTION(TCP_MSL), CLWIPSHIMS_OPTION(LWIP_TCP_SACK_OUT),
    CLWIPSHIMS_OPTION(TCP_OVERSIZE), CLWIPSHIMS_OPTION(TCPIP_MBOX_SIZE), CLWIPSHIMS_OPTION(DEFAULT_TCP_RECVMBOX_SIZE),
    CLWIPSHIMS_OPTION(ETHARP_SUPPORT_STATIC_ENTRIES), CLWIPSHIMS_OPTION(ARP_TABLE_SIZE), CLWIPSHIMS_OPTION(ARP_MAXAGE),
    CLWIPSHIMS_OPTION(ARP_QUEUEING), CLWIPSHIMS_OPTION(MEMP_NUM_TCP_PCB), CLWIPSHIMS_OPTION(MEMP_NUM_TCP_PCB_LISTEN),
    CLWIPSHIMS_OPTION(MEMP_NUM_UDP_PCB), CLWIPSHIMS_OPTION(MEMP_NUM_RAW_PCB), CLWIPSHIMS_OPTION(MEMP_NUM_NETCONN),
    CLWIPSHIMS_OPTION(MEMP_MEM_MALLOC), CLWIPSHIMS_OPTION(MEM_LIBC_MALLOC), CLWIPSHIMS_OPTION(MEM_SIZE),
    CLWIPSHIMS_OPTION(MEM_ALIGNMENT), CLWIPSHIMS_OPTION(PBUF_POOL_SIZE), CLWIPSHIMS_OPTION(PBUF_POOL_BUFSIZE),
    CLWIPSHIMS_OPTION(LWIP_IPV4), CLWIPSHIMS_OPTION(LWIP_IPV6), CLWIPSHIMS_OPTION(LWIP_TCPIP_CORE_LOCKING),
    CLWIPSHIMS_OPTION(LWIP_TCPIP_CORE_LOCKING_INPUT), CLWIPSHIMS_OPTION(IP_REASSEMBLY), CLWIPSHIMS_OPTION(IP_FRAG),
    CLWIPSHIMS_OPTION(IP_FORWARD), CLWIPSHIMS_OPTION(LWIP_IPV6_FRAG), CLWIPSHIMS_OPTION(LWIP_IPV6_REASS),
    CLWIPSHIMS_OPTION(LWIP_SO_RCVBUF), CLWIPSHIMS_OPTION(LWIP_SO_LINGER), CLWIPSHIMS_OPTION(SO_REUSE),
    CLWIPSHIMS_OPTION(LWIP_NETIF_TX_SINGLE_PBUF), CLWIPSHIMS_OPTION(LWIP_NETIF_LOOPBACK),
    CLWIPSHIMS_OPTION(LWIP_HAVE_LOOPIF), CLWIPSHIMS_OPTION(LWIP_DHCP), CLWIPSHIMS_OPTION(LWIP_DNS),
    CLWIPSHIMS_OPTION(LWIP_IGMP), CLWIPSHIMS_OPTION(IP_DEFAULT_TTL), CLWIPSHIMS_OPTION(LWIP_STATS),
    CLWIPSHIMS_OPTION(CHECKSUM_CHECK_IP), CLWIPSHIMS_OPTION(CHECKSUM_CHECK_TCP),
};

int CLwIPShims_optionValue(const char *name, long *value) {
    assert(name != NULL && value != NULL);
    for (size_t i = 0; i < sizeof(clwipshims_options) / sizeof(clwipshims_options[0]); i++) {
        if (strcmp(clwipshims_options[i].name, name) == 0) {
            *value = clwipshims_options[i].value;
            return 1;
        }
    }
    return 0;
}

extern const struct memp_desc memp_TCP_PCB, memp_TCP_PCB_LISTEN, memp_UDP_PCB, memp_RAW_PCB, memp_TCP_SEG, memp_PBUF,
    memp_NETCONN, memp_NETBUF, memp_ARP_QUEUE, memp_SYS_TIMEOUT, memp_REASSDATA, memp_TCPIP_MSG_API,
    memp_TCPIP_MSG_INPKT;

struct clwipshims_pool {
    const char *name;
    const struct memp_desc *library;
    size_t header;
};

static const struct clwipshims_pool clwipshims_pools[] = {
    {"TCP_PCB", &memp_TCP_PCB, sizeof(struct tcp_pcb)},
    {"TCP_PCB_LISTEN", &memp_TCP_PCB_LISTEN, sizeof(struct tcp_pcb_listen)},
    {"UDP_PCB", &memp_UDP_PCB, sizeof(struct udp_pcb)},
    {"RAW_PCB", &memp_RAW_PCB, sizeof(struct raw_pcb)},
    {"TCP_SEG", &memp_TCP_SEG, sizeof(struct tcp_seg)},
    {"PBUF", &memp_PBUF, sizeof(struct pbuf)},
    {"PBUF_POOL", &memp_PBUF_POOL, 0},
    {"NETCONN", &memp_NETCONN, sizeof(struct netconn)},
    {"NETBUF", &memp_NETBUF, sizeof(struct netbuf)},
    {"ARP_QUEUE", &memp_ARP_QUEUE, sizeof(struct etharp_q_entry)},
    {"SYS_TIMEOUT", &memp_SYS_TIMEOUT, sizeof(struct sys_timeo)},
    {"REASSDATA", &memp_REASSDATA, sizeof(struct ip_reassdata)},
    {"TCPIP_MSG_API", &memp_TCPIP_MSG_API, sizeof(struct tcpip_msg)},
    {"TCPIP_MSG_INPKT", &memp_TCPIP_MSG_INPKT, sizeof(struct tcpip_msg)},
};

static const struct clwipshims_pool *clwipshims_findPool(const char *pool) {
    assert(pool != NULL);
    for (size_t i = 0; i < sizeof(clwipshims_pools) / sizeof(clwipshims_pools[0]); i++) {
        if (strcmp(clwipshims_pools[i].name, pool) == 0) {
            return &clwipshims_pools[i];
        }
    }
    return NULL;
}

uint16_t CLwIPShims_libraryMempSize(const char *pool) {
    const struct clwipshims_pool *entry = clwipshims_findPool(pool);
    return entry ? entry->library->size : 0;
}

uint16_t CLwIPShims_headerMempSize(const char *pool) {
    const struct clwipshims_pool *entry = clwipshims_findPool(pool);
    if (entry == NULL) {
        return 0;
    }
    if (entry->header == 0) {
        return CLwIPShims_headerPoolElementSize();
    }
    return (uint16_t)LWIP_MEM_ALIGN_SIZE(entry->header);
}
