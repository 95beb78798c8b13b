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

int CLwIPShims_optionTCPMSS(void) { return TCP_MSS; }
int CLwIPShims_optionTCPWND(void) { return TCP_WND; }
int CLwIPShims_optionARPMaxAge(void) { return ARP_MAXAGE; }
int CLwIPShims_optionStaticARPEntries(void) { return ETHARP_SUPPORT_STATIC_ENTRIES; }
