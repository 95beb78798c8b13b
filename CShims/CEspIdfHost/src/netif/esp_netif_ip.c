/*
 * Addresses and the events they raise, as ESP-IDF v5.4's esp_netif_lwip.c handles them
 * (esp_netif_set_ip_info_api, esp_netif_get_ip_info, the DHCP client calls, the IP-lost
 * timer, DNS).  Debian's liblwip has no DHCP and no DNS client: a DHCP client can be
 * stopped (the usual step before a static address) but not run, and DNS servers are
 * only stored per netif.
 */
#include "netif/netif.h"

#include <string.h>

#include <lwip/ip4_addr.h>
#include <lwip/timeouts.h>

#include "esp_event.h"
#include "esp_log.h"

static const char *TAG = "esp_netif_lwip";

/* CONFIG_ESP_NETIF_IP_LOST_TIMER_INTERVAL's default, in seconds. */
#define IP_LOST_TIMER_S 120

static bool same_ip_info(const esp_netif_ip_info_t *a, const esp_netif_ip_info_t *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

esp_err_t esp_netif_get_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info)
{
    if (esp_netif == NULL || ip_info == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    const bool taken = host_core_lock();
    if (netif_is_up(&esp_netif->lwip)) {
        ip_info->ip.addr = ip4_addr_get_u32(netif_ip4_addr(&esp_netif->lwip));
        ip_info->netmask.addr = ip4_addr_get_u32(netif_ip4_netmask(&esp_netif->lwip));
        ip_info->gw.addr = ip4_addr_get_u32(netif_ip4_gw(&esp_netif->lwip));
    } else {
        *ip_info = esp_netif->ip_info;
    }
    host_core_unlock(taken);
    return ESP_OK;
}

esp_err_t esp_netif_get_old_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info)
{
    if (esp_netif == NULL || ip_info == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *ip_info = esp_netif->ip_info_old;
    return ESP_OK;
}

esp_err_t esp_netif_set_old_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info)
{
    if (esp_netif == NULL || ip_info == NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    esp_netif->ip_info_old = *ip_info;
    return ESP_OK;
}

bool esp_netif_is_valid_static_ip(esp_netif_ip_info_t *ip_info)
{
    return ip_info->ip.addr != 0 && ip_info->netmask.addr != 0;
}

/* esp_netif_set_ip_info_api: stored always; applied to lwIP only while up; GOT_IP only with
 * ESP_NETIF_FLAG_EVENT_IP_MODIFIED, a non-zero address and an up netif. */
esp_err_t esp_netif_set_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info)
{
    if (esp_netif == NULL || ip_info == NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    if (esp_netif->flags & ESP_NETIF_DHCP_SERVER) {
        if (esp_netif->dhcps_status != ESP_NETIF_DHCP_STOPPED) {
            return ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED;
        }
    } else if ((esp_netif->flags & ESP_NETIF_DHCP_CLIENT) && esp_netif->dhcpc_status != ESP_NETIF_DHCP_STOPPED) {
        return ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED;
    }
    const bool taken = host_core_lock();
    esp_netif->ip_info = *ip_info;
    bool post = false;
    ip_event_got_ip_t event = { .esp_netif = esp_netif, .ip_changed = false };
    if (netif_is_up(&esp_netif->lwip)) {
        ip4_addr_t ip = { ip_info->ip.addr }, mask = { ip_info->netmask.addr }, gw = { ip_info->gw.addr };
        netif_set_addr(&esp_netif->lwip, &ip, &mask, &gw);
        if ((esp_netif->flags & ESP_NETIF_FLAG_EVENT_IP_MODIFIED) && ip_info->ip.addr != 0) {
            event.ip_changed = !same_ip_info(ip_info, &esp_netif->ip_info_old);
            host_netif_update_default(esp_netif, HOST_DEFAULT_GOT_IP);
            event.ip_info = *ip_info;
            esp_netif->ip_info_old = *ip_info;
            post = true;
        }
    }
    host_core_unlock(taken);
    if (post) {
        esp_err_t ret = esp_event_post(IP_EVENT, (int32_t)esp_netif->get_ip_event, &event, sizeof event, 0);
        if (ret != ESP_OK) {
            host_log_line(ESP_LOG_ERROR, TAG, "set ip info: failed to post got ip event (%x)", ret);
        }
    }
    return ESP_OK;
}

/* esp_netif_ip_lost_timer: LOST_IP if the address is still 0 when the timer fires (core lock held). */
static void ip_lost_timer(void *arg)
{
    esp_netif_t *esp_netif = arg;
    if (!host_netif_listed(esp_netif)) {
        return;
    }
    esp_netif->timer_running = false;
    if (ip4_addr_isany_val(*netif_ip4_addr(&esp_netif->lwip))) {
        ip_event_got_ip_t event = { .esp_netif = esp_netif };
        host_netif_update_default(esp_netif, HOST_DEFAULT_LOST_IP);
        memset(&esp_netif->ip_info_old, 0, sizeof esp_netif->ip_info_old);
        if (esp_netif->lost_ip_event != 0) {
            esp_err_t ret = esp_event_post(IP_EVENT, (int32_t)esp_netif->lost_ip_event, &event, sizeof event, 0);
            if (ret != ESP_OK) {
                host_log_line(ESP_LOG_ERROR, TAG, "ip lost timer: failed to post lost ip event (%x)", ret);
            }
        }
    }
}

void host_netif_start_ip_lost_timer(esp_netif_t *esp_netif)
{
    if (esp_netif->timer_running) {
        return;
    }
    esp_netif->timer_running = true;
    sys_timeout(IP_LOST_TIMER_S * 1000, ip_lost_timer, esp_netif);
}

/* esp_netif_dhcpc_start_api: on an up netif v5.4 zeroes the address, starts the IP-lost timer and calls
 * dhcp_start, which Debian's liblwip does not have. */
esp_err_t esp_netif_dhcpc_start(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (esp_netif->dhcpc_status == ESP_NETIF_DHCP_STARTED) {
        return ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED;
    }
    const bool taken = host_core_lock();
    memset(&esp_netif->ip_info, 0, sizeof esp_netif->ip_info);
    esp_err_t ret = ESP_OK;
    if (netif_is_up(&esp_netif->lwip)) {
        netif_set_addr(&esp_netif->lwip, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
        host_netif_start_ip_lost_timer(esp_netif);
        if (host_netif_dhcpc_provided(esp_netif)) {  /* the lease comes from another layer (dhcpc_lease.c) */
            esp_netif->dhcpc_status = ESP_NETIF_DHCP_STARTED;
        } else {
            host_log_line(ESP_LOG_ERROR, TAG, "dhcp client start failed: Debian's liblwip has no DHCP client "
                                  "(LWIP_DHCP 0); stop it and set a static address (esp_netif_dhcpc_stop + "
                                  "esp_netif_set_ip_info)");
            ret = ESP_ERR_ESP_NETIF_DHCPC_START_FAILED;
        }
    } else {
        esp_netif->dhcpc_status = ESP_NETIF_DHCP_INIT;  /* "dhcp client re init": starts when connected */
    }
    host_core_unlock(taken);
    return ret;
}

/* esp_netif_dhcpc_stop_api: INIT → STOPPED is ESP_OK (the usual first step of a static setup). */
esp_err_t esp_netif_dhcpc_stop(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if (esp_netif->dhcpc_status == ESP_NETIF_DHCP_STOPPED) {
        return ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED;
    }
    esp_netif->dhcpc_status = ESP_NETIF_DHCP_STOPPED;
    return ESP_OK;
}

esp_err_t esp_netif_dhcpc_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status)
{
    if (esp_netif == NULL || status == NULL || (esp_netif->flags & ESP_NETIF_DHCP_SERVER)) {
        return ESP_ERR_INVALID_ARG;
    }
    *status = esp_netif->dhcpc_status;
    return ESP_OK;
}

esp_err_t esp_netif_dhcps_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status)
{
    if (esp_netif == NULL || status == NULL || (esp_netif->flags & ESP_NETIF_DHCP_CLIENT)) {
        return ESP_ERR_INVALID_ARG;
    }
    *status = esp_netif->dhcps_status;
    return ESP_OK;
}

esp_err_t esp_netif_dhcps_start(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL || !(esp_netif->flags & ESP_NETIF_DHCP_SERVER)) {
        return ESP_ERR_INVALID_ARG;
    }
    host_log_line(ESP_LOG_ERROR, TAG, "%s: no DHCP server on the host (Debian's liblwip has none)",
                          esp_netif->if_desc);
    return ESP_ERR_ESP_NETIF_DHCPS_START_FAILED;
}

esp_err_t esp_netif_dhcps_stop(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (esp_netif->dhcps_status == ESP_NETIF_DHCP_STOPPED) {
        return ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED;
    }
    esp_netif->dhcps_status = ESP_NETIF_DHCP_STOPPED;
    return ESP_OK;
}

/* esp_netif_set_dns_info: v5.4 (without CONFIG_ESP_NETIF_SET_DNS_PER_DEFAULT_NETIF) refuses a NULL netif, a NULL
 * or "any" server; the server is kept per netif here (no dns_setserver in Debian's liblwip). */
esp_err_t esp_netif_set_dns_info(esp_netif_t *esp_netif, esp_netif_dns_type_t type, esp_netif_dns_info_t *dns)
{
    if (esp_netif == NULL || dns == NULL || type >= ESP_NETIF_DNS_MAX) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    bool any = dns->ip.type == ESP_IPADDR_TYPE_V4 ? dns->ip.u_addr.ip4.addr == 0
        : (dns->ip.u_addr.ip6.addr[0] | dns->ip.u_addr.ip6.addr[1] | dns->ip.u_addr.ip6.addr[2] |
           dns->ip.u_addr.ip6.addr[3]) == 0;
    if (any) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if ((esp_netif->flags & ESP_NETIF_DHCP_SERVER) && type != ESP_NETIF_DNS_MAIN) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    esp_netif->dns[type] = *dns;
    return ESP_OK;
}

esp_err_t esp_netif_get_dns_info(esp_netif_t *esp_netif, esp_netif_dns_type_t type, esp_netif_dns_info_t *dns)
{
    if (esp_netif == NULL || dns == NULL || type >= ESP_NETIF_DNS_MAX) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    *dns = esp_netif->dns[type];
    return ESP_OK;
}

void esp_netif_set_ip4_addr(esp_ip4_addr_t *addr, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    if (addr != NULL) {
        addr->addr = ESP_IP4TOADDR(a, b, c, d);
    }
}

char *esp_ip4addr_ntoa(const esp_ip4_addr_t *addr, char *buf, int buflen)
{
    if (addr == NULL || buf == NULL) {
        return NULL;
    }
    ip4_addr_t ip = { addr->addr };
    return ip4addr_ntoa_r(&ip, buf, buflen);
}

uint32_t esp_ip4addr_aton(const char *addr)
{
    return addr != NULL ? ipaddr_addr(addr) : 0;
}

esp_err_t esp_netif_str_to_ip4(const char *src, esp_ip4_addr_t *dst)
{
    if (src == NULL || dst == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    ip4_addr_t ip;
    if (!ip4addr_aton(src, &ip)) {
        return ESP_FAIL;
    }
    dst->addr = ip4_addr_get_u32(&ip);
    return ESP_OK;
}
