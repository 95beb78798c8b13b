/*
 * CEspIdfHost_netifAddresses: the addresses the toolkit shows for the firmware's first
 * esp_netif — lwIP's own while the netif is up, else the stored ones.
 */
#include "probes/probes.h"

#include <string.h>

#include "CEspIdfHost.h"

int CEspIdfHost_netifAddresses(uint32_t *ip, uint32_t *netmask, uint32_t *gateway, uint8_t mac[6])
{
    const bool taken = host_core_lock();
    esp_netif_t *first = NULL;
    for (esp_netif_t *e = host_netif_next(NULL); e != NULL; e = host_netif_next(e)) {
        first = e;  /* newest first: the first one created is last */
    }
    if (first != NULL) {
        const bool up = netif_is_up(&first->lwip);
        *ip = up ? ip4_addr_get_u32(netif_ip4_addr(&first->lwip)) : first->ip_info.ip.addr;
        *netmask = up ? ip4_addr_get_u32(netif_ip4_netmask(&first->lwip)) : first->ip_info.netmask.addr;
        *gateway = up ? ip4_addr_get_u32(netif_ip4_gw(&first->lwip)) : first->ip_info.gw.addr;
        memcpy(mac, up ? first->lwip.hwaddr : first->mac, 6);
    }
    host_core_unlock(taken);
    return first != NULL;
}
