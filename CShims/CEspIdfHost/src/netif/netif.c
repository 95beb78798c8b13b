/*
 * esp_netif on lwIP, following ESP-IDF v5.1's order of events (see esp_netif.h):
 * new → (set_ip_info) → action_start: netif_add with tcpip_input → (driver
 * configures the lwIP netif) → action_connected: up, link up, default, GOT_IP.
 * Every lwIP call here holds the core lock.
 */
#include "host_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/ip4_addr.h>
#include <lwip/sys.h>
#include <lwip/tcpip.h>

#include "CEspIdfHost.h"
#include "esp_event.h"
#include "esp_log.h"

#define ESP_NETIF_MAGIC 0x45534e46u  /* "ESNF" */

static const char *TAG = "esp_netif";

ESP_EVENT_DEFINE_BASE(IP_EVENT);

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static esp_netif_t *s_netifs;
static pthread_once_t s_stack_once = PTHREAD_ONCE_INIT;

static const struct esp_netif_netstack_config s_eth_stack = {
    .lwip = { .init_fn = ethernetif_init, .input_fn = ethernetif_input },
};
const esp_netif_netstack_config_t *_g_esp_netif_netstack_default_eth = &s_eth_stack;
const esp_netif_inherent_config_t _g_esp_netif_inherent_eth_config = ESP_NETIF_INHERENT_DEFAULT_ETH();

static void stack_started(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

static void start_stack(void)
{
    if (host_tcpip_started()) {
        return;  /* the toolkit already runs tcpip_thread in this process */
    }
    sys_sem_t done;
    if (sys_sem_new(&done, 0) != ERR_OK) {
        abort();
    }
    tcpip_init(stack_started, &done);
    sys_sem_wait(&done);
    sys_sem_free(&done);
}

esp_err_t esp_netif_init(void)
{
    pthread_once(&s_stack_once, start_stack);
    return ESP_OK;
}

esp_err_t esp_netif_deinit(void)
{
    return ESP_ERR_NOT_SUPPORTED;
}

esp_netif_t *host_netif_owner(const struct netif *netif)
{
    pthread_mutex_lock(&s_lock);
    esp_netif_t *found = NULL;
    for (esp_netif_t *e = s_netifs; e != NULL; e = e->next) {
        if (&e->lwip == netif) {
            found = e;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return found;
}

bool host_netif_is_gateway(uint32_t ip)
{
    bool match = false;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t *e = s_netifs; e != NULL && !match; e = e->next) {
        match = ip != 0 && (e->ip_info.gw.addr == ip || ip4_addr_get_u32(netif_ip4_gw(&e->lwip)) == ip);
    }
    pthread_mutex_unlock(&s_lock);
    return match;
}

static bool valid(const esp_netif_t *esp_netif)
{
    return esp_netif != NULL && esp_netif->magic == ESP_NETIF_MAGIC;
}

esp_netif_t *esp_netif_new(const esp_netif_config_t *config)
{
    if (config == NULL || config->base == NULL || config->stack == NULL) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "esp_netif_new: base and stack configuration required");
        return NULL;
    }
    const esp_netif_inherent_config_t *base = config->base;
    if (base->if_key != NULL && esp_netif_get_handle_from_ifkey(base->if_key) != NULL) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "esp_netif_new: if_key %s already exists", base->if_key);
        return NULL;
    }
    esp_netif_t *e = calloc(1, sizeof *e);
    if (e == NULL) {
        return NULL;
    }
    e->magic = ESP_NETIF_MAGIC;
    e->flags = base->flags;
    memcpy(e->mac, base->mac, sizeof e->mac);
    if (base->ip_info != NULL) {
        e->ip_info = *base->ip_info;
    }
    e->get_ip_event = base->get_ip_event;
    e->lost_ip_event = base->lost_ip_event;
    e->if_key = strdup(base->if_key != NULL ? base->if_key : "");
    e->if_desc = strdup(base->if_desc != NULL ? base->if_desc : "");
    e->route_prio = base->route_prio;
    e->init_fn = config->stack->lwip.init_fn;
    e->input_fn = config->stack->lwip.input_fn;
    e->dhcpc = ESP_NETIF_DHCP_INIT;
    if (config->driver != NULL) {
        e->driver = *config->driver;
    }
    pthread_mutex_lock(&s_lock);
    e->next = s_netifs;
    s_netifs = e;
    pthread_mutex_unlock(&s_lock);
    return e;
}

void esp_netif_destroy(esp_netif_t *esp_netif)
{
    if (!valid(esp_netif)) {
        return;
    }
    if (esp_netif->added) {
        LOCK_TCPIP_CORE();
        netif_set_down(&esp_netif->lwip);
        netif_remove(&esp_netif->lwip);
        UNLOCK_TCPIP_CORE();
    }
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t **at = &s_netifs; *at != NULL; at = &(*at)->next) {
        if (*at == esp_netif) {
            *at = esp_netif->next;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    esp_netif->magic = 0;
    free(esp_netif->if_key);
    free(esp_netif->if_desc);
    free(esp_netif);
}

esp_err_t esp_netif_set_driver_config(esp_netif_t *esp_netif, const esp_netif_driver_ifconfig_t *driver_config)
{
    if (!valid(esp_netif) || driver_config == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    esp_netif->driver = *driver_config;
    return ESP_OK;
}

esp_err_t esp_netif_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle driver_handle)
{
    if (!valid(esp_netif) || driver_handle == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    esp_netif_driver_base_t *base = driver_handle;
    base->netif = esp_netif;
    if (base->post_attach != NULL && base->post_attach(esp_netif, driver_handle) != ESP_OK) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "esp_netif_attach: the driver's post_attach failed");
        return ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED;
    }
    return ESP_OK;
}

esp_err_t esp_netif_receive(esp_netif_t *esp_netif, void *buffer, size_t len, void *eb)
{
    if (!valid(esp_netif) || esp_netif->input_fn == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    esp_netif->input_fn(&esp_netif->lwip, buffer, len, eb);
    return ESP_OK;
}

static void post_got_ip(esp_netif_t *e)
{
    if (e->get_ip_event == 0 && e->lost_ip_event == 0) {
        return;
    }
    ip_event_got_ip_t event = { .if_index = e->lwip.num, .esp_netif = e, .ip_changed = true };
    event.ip_info.ip.addr = ip4_addr_get_u32(netif_ip4_addr(&e->lwip));
    event.ip_info.netmask.addr = ip4_addr_get_u32(netif_ip4_netmask(&e->lwip));
    event.ip_info.gw.addr = ip4_addr_get_u32(netif_ip4_gw(&e->lwip));
    /* no default event loop: ESP-IDF's post fails the same way and nobody hears it */
    (void)esp_event_post(IP_EVENT, (int32_t)e->get_ip_event, &event, sizeof event, 0);
}

void esp_netif_action_start(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_t *e = arg;
    if (!valid(e) || e->added) {
        return;
    }
    if (!host_tcpip_started()) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "esp_netif_action_start before esp_netif_init()");
        return;
    }
    if (e->flags & ESP_NETIF_DHCP_SERVER) {
        esp_idf_host_log_line(ESP_LOG_WARN, TAG, "%s: no DHCP server on the host (Debian's liblwip has none)",
                              e->if_desc);
    }
    ip4_addr_t ip = { e->ip_info.ip.addr }, mask = { e->ip_info.netmask.addr }, gw = { e->ip_info.gw.addr };
    LOCK_TCPIP_CORE();
    struct netif *added = netif_add(&e->lwip, &ip, &mask, &gw, e, e->init_fn, tcpip_input);
    if (added != NULL) {
        e->added = true;
        host_netif_timers_start();
        if (e->flags & ESP_NETIF_FLAG_AUTOUP) {
            host_linkoutput_adopt(e);
            netif_set_up(&e->lwip);
        }
    }
    UNLOCK_TCPIP_CORE();
    if (added == NULL) {
        esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "%s: netif_add failed", e->if_desc);
        return;
    }
    esp_idf_host_log_line(ESP_LOG_DEBUG, TAG, "%s: lwIP netif %c%c%u added", e->if_desc, e->lwip.name[0],
                          e->lwip.name[1], e->lwip.num);
}

void esp_netif_action_stop(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_t *e = arg;
    if (!valid(e) || !e->added) {
        return;
    }
    LOCK_TCPIP_CORE();
    netif_set_link_down(&e->lwip);
    netif_set_down(&e->lwip);
    netif_remove(&e->lwip);
    e->added = false;
    UNLOCK_TCPIP_CORE();
}

void esp_netif_action_connected(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_t *e = arg;
    if (!valid(e) || !e->added) {
        return;
    }
    /* the checking wrapper goes in before up/link-up, which send the gratuitous ARP */
    LOCK_TCPIP_CORE();
    host_linkoutput_adopt(e);
    netif_set_up(&e->lwip);
    netif_set_link_up(&e->lwip);
    if (netif_default == NULL || netif_default == &e->lwip || !netif_is_up(netif_default)) {
        netif_set_default(&e->lwip);
    }
    UNLOCK_TCPIP_CORE();
    if ((e->flags & ESP_NETIF_DHCP_CLIENT) && e->dhcpc != ESP_NETIF_DHCP_STOPPED) {
        esp_idf_host_log_line(ESP_LOG_WARN, TAG, "%s: DHCP client requested, but Debian's liblwip has no DHCP "
                              "(LWIP_DHCP 0); keeping the static address " IPSTR, e->if_desc, IP2STR(&e->ip_info.ip));
    }
    if (e->ip_info.ip.addr != 0) {
        post_got_ip(e);
    }
}

void esp_netif_action_disconnected(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_t *e = arg;
    if (!valid(e) || !e->added) {
        return;
    }
    LOCK_TCPIP_CORE();
    netif_set_link_down(&e->lwip);
    netif_set_down(&e->lwip);
    UNLOCK_TCPIP_CORE();
}

void esp_netif_action_got_ip(void *arg, esp_event_base_t base, int32_t event_id, void *data)
{
    (void)base;
    (void)event_id;
    (void)data;
    esp_netif_t *e = arg;
    if (valid(e)) {
        esp_idf_host_log_line(ESP_LOG_INFO, "esp_netif_handlers", "%s ip: " IPSTR ", mask: " IPSTR ", gw: " IPSTR,
                              e->if_desc, IP2STR(&e->ip_info.ip), IP2STR(&e->ip_info.netmask), IP2STR(&e->ip_info.gw));
    }
}

esp_err_t esp_netif_set_default_netif(esp_netif_t *esp_netif)
{
    if (!valid(esp_netif)) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    LOCK_TCPIP_CORE();
    netif_set_default(&esp_netif->lwip);
    UNLOCK_TCPIP_CORE();
    return ESP_OK;
}

esp_netif_t *esp_netif_get_default_netif(void)
{
    LOCK_TCPIP_CORE();
    struct netif *netif = netif_default;
    UNLOCK_TCPIP_CORE();
    return netif != NULL ? host_netif_owner(netif) : NULL;
}

esp_err_t esp_netif_set_mac(esp_netif_t *esp_netif, uint8_t mac[])
{
    if (!valid(esp_netif) || mac == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    memcpy(esp_netif->mac, mac, 6);
    if (esp_netif->added) {
        LOCK_TCPIP_CORE();
        memcpy(esp_netif->lwip.hwaddr, mac, 6);
        UNLOCK_TCPIP_CORE();
    }
    return ESP_OK;
}

esp_err_t esp_netif_get_mac(esp_netif_t *esp_netif, uint8_t mac[])
{
    if (!valid(esp_netif) || mac == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    memcpy(mac, esp_netif->added ? esp_netif->lwip.hwaddr : esp_netif->mac, 6);
    return ESP_OK;
}

esp_err_t esp_netif_set_hostname(esp_netif_t *esp_netif, const char *hostname)
{
    if (!valid(esp_netif) || hostname == NULL || strlen(hostname) > 32) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    /* stored only: Debian's liblwip has no netif hostname (LWIP_NETIF_HOSTNAME 0) and no DHCP to send it */
    snprintf(esp_netif->hostname, sizeof esp_netif->hostname, "%s", hostname);
    return ESP_OK;
}

esp_err_t esp_netif_get_hostname(esp_netif_t *esp_netif, const char **hostname)
{
    if (!valid(esp_netif) || hostname == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    *hostname = esp_netif->hostname[0] != '\0' ? esp_netif->hostname : NULL;
    return ESP_OK;
}

bool esp_netif_is_netif_up(esp_netif_t *esp_netif)
{
    return valid(esp_netif) && esp_netif->added && netif_is_up(&esp_netif->lwip);
}

esp_err_t esp_netif_get_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info)
{
    if (!valid(esp_netif) || ip_info == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if (esp_netif->added && netif_is_up(&esp_netif->lwip)) {
        LOCK_TCPIP_CORE();
        ip_info->ip.addr = ip4_addr_get_u32(netif_ip4_addr(&esp_netif->lwip));
        ip_info->netmask.addr = ip4_addr_get_u32(netif_ip4_netmask(&esp_netif->lwip));
        ip_info->gw.addr = ip4_addr_get_u32(netif_ip4_gw(&esp_netif->lwip));
        UNLOCK_TCPIP_CORE();
    } else {
        *ip_info = esp_netif->ip_info;
    }
    return ESP_OK;
}

esp_err_t esp_netif_set_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info)
{
    if (!valid(esp_netif) || ip_info == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if ((esp_netif->flags & ESP_NETIF_DHCP_CLIENT) && esp_netif->dhcpc != ESP_NETIF_DHCP_STOPPED) {
        return ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED;
    }
    esp_netif->ip_info = *ip_info;
    bool up = false;
    if (esp_netif->added) {
        ip4_addr_t ip = { ip_info->ip.addr }, mask = { ip_info->netmask.addr }, gw = { ip_info->gw.addr };
        LOCK_TCPIP_CORE();
        netif_set_addr(&esp_netif->lwip, &ip, &mask, &gw);
        up = netif_is_up(&esp_netif->lwip);
        UNLOCK_TCPIP_CORE();
    }
    if (up && ip_info->ip.addr != 0) {
        post_got_ip(esp_netif);
    }
    return ESP_OK;
}

esp_err_t esp_netif_dhcpc_start(esp_netif_t *esp_netif)
{
    if (!valid(esp_netif)) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    esp_idf_host_log_line(ESP_LOG_ERROR, TAG, "%s: no DHCP client on the host (Debian's liblwip is built with "
                          "LWIP_DHCP 0); use a static address", esp_netif->if_desc);
    return ESP_ERR_ESP_NETIF_DHCPC_START_FAILED;
}

esp_err_t esp_netif_dhcpc_stop(esp_netif_t *esp_netif)
{
    if (!valid(esp_netif)) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    if (!(esp_netif->flags & ESP_NETIF_DHCP_CLIENT)) {
        return ESP_ERR_NOT_SUPPORTED;
    }
    if (esp_netif->dhcpc == ESP_NETIF_DHCP_STOPPED) {
        return ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED;
    }
    esp_netif->dhcpc = ESP_NETIF_DHCP_STOPPED;
    return ESP_OK;
}

esp_err_t esp_netif_dhcpc_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status)
{
    if (!valid(esp_netif) || status == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    *status = esp_netif->dhcpc;
    return ESP_OK;
}

esp_netif_t *esp_netif_get_handle_from_ifkey(const char *if_key)
{
    esp_netif_t *found = NULL;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t *e = s_netifs; e != NULL && if_key != NULL; e = e->next) {
        if (strcmp(e->if_key, if_key) == 0) {
            found = e;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return found;
}

const char *esp_netif_get_ifkey(esp_netif_t *esp_netif)
{
    return valid(esp_netif) ? esp_netif->if_key : NULL;
}

const char *esp_netif_get_desc(esp_netif_t *esp_netif)
{
    return valid(esp_netif) ? esp_netif->if_desc : NULL;
}

esp_netif_flags_t esp_netif_get_flags(esp_netif_t *esp_netif)
{
    return valid(esp_netif) ? esp_netif->flags : (esp_netif_flags_t)0;
}

esp_netif_iodriver_handle esp_netif_get_io_driver(esp_netif_t *esp_netif)
{
    return valid(esp_netif) ? esp_netif->driver.handle : NULL;
}

esp_netif_t *esp_netif_get_handle_from_netif_impl(void *dev)
{
    return dev != NULL ? host_netif_owner(dev) : NULL;
}

void *esp_netif_get_netif_impl(esp_netif_t *esp_netif)
{
    return valid(esp_netif) ? &esp_netif->lwip : NULL;
}

esp_err_t esp_netif_transmit(esp_netif_t *esp_netif, void *data, size_t len)
{
    if (!valid(esp_netif) || esp_netif->driver.transmit == NULL) {
        return ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    return esp_netif->driver.transmit(esp_netif->driver.handle, data, len);
}

esp_err_t esp_netif_transmit_wrap(esp_netif_t *esp_netif, void *data, size_t len, void *netstack_buf)
{
    if (valid(esp_netif) && esp_netif->driver.transmit_wrap != NULL) {
        return esp_netif->driver.transmit_wrap(esp_netif->driver.handle, data, len, netstack_buf);
    }
    return esp_netif_transmit(esp_netif, data, len);
}

void esp_netif_free_rx_buffer(void *arg, void *buffer)
{
    esp_netif_t *esp_netif = arg;
    if (valid(esp_netif) && esp_netif->driver.driver_free_rx_buffer != NULL) {
        esp_netif->driver.driver_free_rx_buffer(esp_netif->driver.handle, buffer);
    }
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

int CEspIdfHost_netifAddresses(uint32_t *ip, uint32_t *netmask, uint32_t *gateway, uint8_t mac[6])
{
    pthread_mutex_lock(&s_lock);
    esp_netif_t *e = s_netifs;
    while (e != NULL && e->next != NULL) {
        e = e->next;  /* the list is newest first: the first one created is last */
    }
    int found = e != NULL;
    if (found) {
        esp_netif_ip_info_t info = e->ip_info;
        if (e->added) {
            info.ip.addr = ip4_addr_get_u32(netif_ip4_addr(&e->lwip));
            info.netmask.addr = ip4_addr_get_u32(netif_ip4_netmask(&e->lwip));
            info.gw.addr = ip4_addr_get_u32(netif_ip4_gw(&e->lwip));
        }
        *ip = info.ip.addr;
        *netmask = info.netmask.addr;
        *gateway = info.gw.addr;
        memcpy(mac, e->added ? e->lwip.hwaddr : e->mac, 6);
    }
    pthread_mutex_unlock(&s_lock);
    return found;
}
