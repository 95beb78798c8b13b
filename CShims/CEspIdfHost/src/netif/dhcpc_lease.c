/*
 * The DHCP client's place for a lease that comes from elsewhere.  Debian's liblwip has no
 * DHCP client (LWIP_DHCP 0), so a netif's client can only be served by a provider that
 * registers here (the scripted radio of src/wifi/ serves the Wi-Fi station).  With a
 * provider, esp_netif_dhcpc_start on an up netif is what v5.4's esp_netif_dhcpc_start_api
 * does with a working dhcp_start: address zeroed, IP-lost timer armed, status STARTED; the
 * lease then arrives through host_netif_dhcpc_bound, which does what v5.4's
 * esp_netif_internal_dhcpc_cb does when lwIP's client binds.
 */
#include "netif/netif.h"

#include <string.h>

#include "esp_log.h"

static const char *TAG = "esp_netif_lwip";

static host_dhcpc_provider_t s_provider;

void host_netif_set_dhcpc_provider(host_dhcpc_provider_t provider)
{
    s_provider = provider;
}

bool host_netif_dhcpc_provided(esp_netif_t *esp_netif)
{
    return s_provider != NULL && s_provider(esp_netif);
}

/* esp_netif_internal_dhcpc_cb for a bound lease: a new address (or mask or gateway) is applied, the default
 * netif updated and GOT_IP posted, ip_changed telling whether it differs from the last one posted. */
void host_netif_dhcpc_bound(esp_netif_t *esp_netif, const esp_netif_ip_info_t *lease)
{
    const bool taken = host_core_lock();
    if (!host_netif_listed(esp_netif) || esp_netif->dhcpc_status != ESP_NETIF_DHCP_STARTED ||
        !netif_is_up(&esp_netif->lwip)) {
        host_core_unlock(taken);
        return;  /* the client stopped or the link went down while the lease was on its way */
    }
    const bool same = ip4_addr_get_u32(netif_ip4_addr(&esp_netif->lwip)) == lease->ip.addr &&
                      ip4_addr_get_u32(netif_ip4_netmask(&esp_netif->lwip)) == lease->netmask.addr &&
                      ip4_addr_get_u32(netif_ip4_gw(&esp_netif->lwip)) == lease->gw.addr;
    if (same) {
        host_core_unlock(taken);
        return;
    }
    ip4_addr_t ip = { lease->ip.addr }, mask = { lease->netmask.addr }, gw = { lease->gw.addr };
    netif_set_addr(&esp_netif->lwip, &ip, &mask, &gw);
    esp_netif->ip_info = *lease;
    ip_event_got_ip_t event = { .esp_netif = esp_netif, .ip_changed = false };
    event.ip_changed = memcmp(&esp_netif->ip_info, &esp_netif->ip_info_old, sizeof esp_netif->ip_info) != 0;
    host_netif_update_default(esp_netif, HOST_DEFAULT_GOT_IP);
    event.ip_info = esp_netif->ip_info;
    esp_netif->ip_info_old = esp_netif->ip_info;
    host_core_unlock(taken);
    esp_err_t ret = esp_event_post(IP_EVENT, (int32_t)esp_netif->get_ip_event, &event, sizeof event, 0);
    if (ret != ESP_OK) {
        host_log_line(ESP_LOG_ERROR, TAG, "dhcpc cb: failed to post got ip event (%x)", ret);
    }
}
