/*
 * esp_netif's life cycle on lwIP, mirroring ESP-IDF v5.4's esp_netif_lwip.c function by
 * function (the *_api functions there run in tcpip_thread; here they hold the core lock):
 *
 *   esp_netif_new     → esp_netif_new_api + esp_netif_init_configuration
 *   esp_netif_start   → esp_netif_start_api: sanity check, netif_add, AUTOUP, default netif
 *   esp_netif_stop    → esp_netif_stop_api
 *   esp_netif_up      → esp_netif_up_api (what esp_netif_action_connected calls)
 *   esp_netif_down    → esp_netif_down_api (what esp_netif_action_disconnected calls)
 *
 * Where v5.4 crashes (a NULL pointer it dereferences, ESP_ERROR_CHECK on a failed start),
 * the host names the defect and ends the device the same way (host_fatal / the
 * ESP_ERROR_CHECK report).
 */
#include "netif/netif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/ip4_addr.h>
#include <lwip/sys.h>
#include <lwip/tcpip.h>

#include "CLwIPShims.h"
#include "esp_log.h"

#define HOSTNAME_MAX 32              /* ESP_NETIF_HOSTNAME_MAX_SIZE */

static const char *TAG = "esp_netif_lwip";

/* tcpip_init once per process, whoever comes first (this, the Swift side's LwIPStack): the lwIP shim's. Not at
 * all when tcpip_thread already runs without it (firmware that called tcpip_init itself). */
static void start_stack(void)
{
    if (!host_tcpip_started()) {
        CLwIPShims_startOnce();
    }
}

esp_err_t esp_netif_init(void)
{
    start_stack();
    return ESP_OK;
}

/* v5.4: ESP_ERR_NOT_SUPPORTED once the stack runs, ESP_ERR_INVALID_STATE before. */
esp_err_t esp_netif_deinit(void)
{
    return host_tcpip_started() ? ESP_ERR_NOT_SUPPORTED : ESP_ERR_INVALID_STATE;
}

/* esp_netif_init_configuration: what v5.4 copies from the config, and what it leaves zero. */
static esp_err_t init_configuration(esp_netif_t *e, const esp_netif_config_t *cfg)
{
    if (cfg->base == NULL || cfg->stack == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    memcpy(e->mac, cfg->base->mac, sizeof e->mac);
    if (cfg->base->ip_info != NULL) {
        e->ip_info = *cfg->base->ip_info;
    }
    e->ip_info_old = e->ip_info;
    e->lost_ip_event = cfg->base->lost_ip_event;
    e->get_ip_event = cfg->base->get_ip_event;
    e->flags = cfg->base->flags;
    e->if_key = cfg->base->if_key != NULL ? strdup(cfg->base->if_key) : NULL;
    e->if_desc = cfg->base->if_desc != NULL ? strdup(cfg->base->if_desc) : NULL;
    e->route_prio = cfg->base->route_prio;
    if (cfg->base->flags & ESP_NETIF_FLAG_IS_PPP) {
        host_log_line(ESP_LOG_ERROR, TAG, "PPP netif: Debian's liblwip has no PPP (CONFIG_PPP_SUPPORT off)");
        return ESP_ERR_NOT_SUPPORTED;
    }
    if (cfg->stack->lwip.init_fn != NULL) {
        e->lwip_init_fn = cfg->stack->lwip.init_fn;
    }
    if (cfg->stack->lwip.input_fn != NULL) {
        e->lwip_input_fn = cfg->stack->lwip.input_fn;
    }
    if (cfg->driver != NULL) {
        /* only the members that are set: a post_attach may fill the rest later */
        if (cfg->driver->handle != NULL) {
            e->driver_handle = cfg->driver->handle;
        }
        if (cfg->driver->transmit != NULL) {
            e->driver_transmit = cfg->driver->transmit;
        }
        if (cfg->driver->transmit_wrap != NULL) {
            e->driver_transmit_wrap = cfg->driver->transmit_wrap;
        }
        if (cfg->driver->driver_free_rx_buffer != NULL) {
            e->driver_free_rx_buffer = cfg->driver->driver_free_rx_buffer;
        }
    }
    return ESP_OK;
}

static void free_object(esp_netif_t *e)
{
    free(e->if_key);
    free(e->if_desc);
    free(e->hostname);
    free(e);
}

/* esp_netif_new_api */
esp_netif_t *esp_netif_new(const esp_netif_config_t *config)
{
    if (config != NULL && config->base == NULL) {
        host_fatal("esp-netif-new-without-base", "esp_netif_new() with config->base == NULL: esp_netif_new_api "
                   "reads config->base->if_key without a check (LoadProhibited on an ESP32)");
    }
    const bool taken = host_core_lock();
    esp_netif_t *e = NULL;
    if (config == NULL || config->base->if_key == NULL ||
        esp_netif_get_handle_from_ifkey(config->base->if_key) != NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "esp_netif_new_api: Failed to configure netif with config=%p "
                              "(config or if_key is NULL or duplicate key)", (const void *)config);
    } else if ((config->base->flags & ESP_NETIF_DHCP_SERVER) && (config->base->flags & ESP_NETIF_DHCP_CLIENT)) {
        host_log_line(ESP_LOG_ERROR, TAG, "esp_netif_new_api: Failed to configure netif with config=%p "
                              "(DHCP server and client cannot be configured together)", (const void *)config);
    } else if ((e = calloc(1, sizeof *e)) != NULL) {
        host_netif_list_add(e);
        esp_err_t ret = init_configuration(e, config);
        if (ret != ESP_OK) {
            host_log_line(ESP_LOG_ERROR, TAG, "Initial configuration of esp_netif failed with %d", ret);
            host_netif_list_remove(e);
            free_object(e);
            e = NULL;
        } else {
            e->lwip.state = e;  /* lwip_set_esp_netif: LWIP_ESP_NETIF_DATA is 0 in a default v5.4 build */
        }
    }
    host_core_unlock(taken);
    return e;
}

/* esp_netif_lwip_remove: down if up, out of netif_list (a no-op for a netif never added). */
static void lwip_remove(esp_netif_t *e)
{
    if (netif_is_up(&e->lwip)) {
        netif_set_down(&e->lwip);
    }
    netif_remove(&e->lwip);
}

/* esp_netif_destroy_api */
void esp_netif_destroy(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return;
    }
    const bool taken = host_core_lock();
    host_netif_list_remove(esp_netif);
    lwip_remove(esp_netif);
    /* no longer listed, so the update forgets it as the remembered (even the overriding) default */
    host_netif_update_default(esp_netif, HOST_DEFAULT_STOPPED);
    host_core_unlock(taken);
    free_object(esp_netif);
}

/* esp_netif_attach: no argument checks in v5.4; the driver's post_attach usually calls set_driver_config. */
esp_err_t esp_netif_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle driver_handle)
{
    if (esp_netif == NULL) {
        host_fatal("esp-netif-attach-null", "esp_netif_attach(NULL, …): v5.4 writes esp_netif->driver_handle "
                   "without a check (StoreProhibited on an ESP32)");
    }
    if (driver_handle == NULL) {
        host_fatal("esp-netif-attach-null", "esp_netif_attach(netif, NULL): v5.4 reads the driver handle's "
                   "post_attach without a check (LoadProhibited on an ESP32)");
    }
    esp_netif_driver_base_t *base = driver_handle;
    esp_netif->driver_handle = driver_handle;
    if (base->post_attach != NULL) {
        esp_err_t ret = base->post_attach(esp_netif, driver_handle);
        if (ret != ESP_OK) {
            host_log_line(ESP_LOG_ERROR, TAG, "Post-attach callback of driver(%p) failed with %d",
                                  driver_handle, ret);
            return ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED;
        }
    }
    return ESP_OK;
}

/* esp_netif_set_driver_config: replaces all four members, NULLs included. */
esp_err_t esp_netif_set_driver_config(esp_netif_t *esp_netif, const esp_netif_driver_ifconfig_t *driver_config)
{
    if (esp_netif == NULL || driver_config == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    esp_netif->driver_handle = driver_config->handle;
    esp_netif->driver_transmit = driver_config->transmit;
    esp_netif->driver_transmit_wrap = driver_config->transmit_wrap;
    esp_netif->driver_free_rx_buffer = driver_config->driver_free_rx_buffer;
    return ESP_OK;
}

/* esp_netif_config_sanity_check, then ESP_ERROR_CHECK as esp_netif_start_api does. */
static void sanity_check_or_abort(esp_netif_t *e)
{
    if (!(e->flags & ESP_NETIF_FLAG_IS_BRIDGE) &&
        (e->driver_transmit == NULL || e->driver_handle == NULL || e->lwip_input_fn == NULL)) {
        goto fail;
    }
    if (e->lwip_init_fn == NULL) {
        goto fail;
    }
    return;
fail:
    host_log_line(ESP_LOG_ERROR, TAG, "Cannot start esp_netif: Missing mandatory configuration:\n"
                          "esp_netif->driver_transmit: %p, esp_netif->driver_handle:%p, "
                          "esp_netif->lwip_input_fn: %p, esp_netif->lwip_init_fn:%p",
                          (void *)e->driver_transmit, e->driver_handle, (void *)e->lwip_input_fn,
                          (void *)e->lwip_init_fn);
    host_fatal_note("esp-netif-start-incomplete", "esp_netif_start on \"%s\" without %s: esp_netif_start_api's "
                    "ESP_ERROR_CHECK(esp_netif_config_sanity_check()) aborts an ESP32 here",
                    e->if_desc != NULL ? e->if_desc : "?",
                    e->driver_transmit == NULL ? "a driver transmit function (esp_netif_attach / set_driver_config)"
                    : e->driver_handle == NULL ? "a driver handle" : "a network stack (init_fn/input_fn)");
    _esp_error_check_failed(ESP_ERR_INVALID_STATE, __FILE__, __LINE__, "esp_netif_start_api",
                            "esp_netif_config_sanity_check(esp_netif)");
}

/* esp_netif_start_api */
esp_err_t esp_netif_start(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "Cannot start esp_netif: esp_netif must not be null");
        _esp_error_check_failed(ESP_ERR_INVALID_STATE, __FILE__, __LINE__, "esp_netif_start_api",
                                "esp_netif_config_sanity_check(esp_netif)");
    }
    if (!host_tcpip_started()) {
        host_fatal("esp-netif-start-before-init", "esp_netif_start before esp_netif_init(): tcpip_thread does "
                   "not exist yet, ESP-IDF's tcpip_api_call blocks or asserts here");
    }
    sanity_check_or_abort(esp_netif);
    const bool taken = host_core_lock();
    ip4_addr_t ip = { esp_netif->ip_info.ip.addr }, mask = { esp_netif->ip_info.netmask.addr },
               gw = { esp_netif->ip_info.gw.addr };
    if (netif_add(&esp_netif->lwip, &ip, &mask, &gw, esp_netif, esp_netif->lwip_init_fn, tcpip_input) == NULL) {
        lwip_remove(esp_netif);
        host_core_unlock(taken);
        host_fatal_note("esp-netif-start-failed", "netif_add() failed for \"%s\": its init_fn returned an error; "
                        "esp_netif_start_api's ESP_ERROR_CHECK(esp_netif_lwip_add()) aborts an ESP32 here",
                        esp_netif->if_desc != NULL ? esp_netif->if_desc : "?");
        _esp_error_check_failed(ESP_ERR_ESP_NETIF_IF_NOT_READY, __FILE__, __LINE__, "esp_netif_start_api",
                                "esp_netif_lwip_add(esp_netif)");
    }
    esp_netif->lwip.state = esp_netif;
    host_netif_timers_start();
    if (esp_netif->flags & ESP_NETIF_FLAG_AUTOUP) {
        host_linkoutput_adopt(esp_netif);  /* before link-up sends the gratuitous ARP */
        netif_set_up(&esp_netif->lwip);
        netif_set_link_up(&esp_netif->lwip);
    }
    esp_err_t ret = ESP_OK;
    if (esp_netif->flags & ESP_NETIF_DHCP_SERVER) {
        host_log_line(ESP_LOG_WARN, TAG, "%s: no DHCP server on the host (Debian's liblwip has none)",
                              esp_netif->if_desc);
        ret = ESP_ERR_NOT_SUPPORTED;  /* LOG_NETIF_DISABLED_AND_DO("DHCP Server", return ESP_ERR_NOT_SUPPORTED) */
    } else if (!((esp_netif->flags & ESP_NETIF_DHCP_CLIENT) && esp_netif->dhcpc_status != ESP_NETIF_DHCP_STOPPED)) {
        host_netif_update_default(esp_netif, HOST_DEFAULT_STARTED);
    }
    host_core_unlock(taken);
    host_log_line(ESP_LOG_DEBUG, TAG, "%s: lwIP netif %c%c%u added", esp_netif->if_desc,
                          esp_netif->lwip.name[0], esp_netif->lwip.name[1], esp_netif->lwip.num);
    return ret;
}

/* esp_netif_stop_api */
esp_err_t esp_netif_stop(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    const bool taken = host_core_lock();
    esp_err_t ret = ESP_OK;
    if (!netif_is_up(&esp_netif->lwip)) {
        lwip_remove(esp_netif);
        ret = ESP_ERR_ESP_NETIF_IF_NOT_READY;
    } else {
        if (!(esp_netif->flags & ESP_NETIF_DHCP_SERVER) && (esp_netif->flags & ESP_NETIF_DHCP_CLIENT)) {
            esp_netif->dhcpc_status = ESP_NETIF_DHCP_INIT;
            memset(&esp_netif->ip_info, 0, sizeof esp_netif->ip_info);  /* esp_netif_reset_ip_info */
        }
        netif_set_down(&esp_netif->lwip);
        lwip_remove(esp_netif);
        host_netif_update_default(esp_netif, HOST_DEFAULT_STOPPED);
    }
    host_core_unlock(taken);
    return ret;
}

/* esp_netif_up_api: works on a netif that esp_netif_start never added (then up, linked and default without
 * being in netif_list; lwIP's ip4_route falls back to netif_default, so routes through it still work). */
esp_err_t esp_netif_up(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    const bool taken = host_core_lock();
    ip4_addr_t ip = { esp_netif->ip_info.ip.addr }, mask = { esp_netif->ip_info.netmask.addr },
               gw = { esp_netif->ip_info.gw.addr };
    netif_set_addr(&esp_netif->lwip, &ip, &mask, &gw);
    host_linkoutput_adopt(esp_netif);  /* before up/link-up send the gratuitous ARP */
    host_netif_timers_start();
    netif_set_up(&esp_netif->lwip);
    netif_set_link_up(&esp_netif->lwip);
    if (!((esp_netif->flags & ESP_NETIF_DHCP_CLIENT) && esp_netif->dhcpc_status != ESP_NETIF_DHCP_STOPPED)) {
        host_netif_update_default(esp_netif, HOST_DEFAULT_STARTED);
    }
    host_core_unlock(taken);
    return ESP_OK;
}

/* esp_netif_down_api (IPv6 addresses are cleared too, as v5.4 does). */
esp_err_t esp_netif_down(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    const bool taken = host_core_lock();
    struct netif *netif = &esp_netif->lwip;
    if ((esp_netif->flags & ESP_NETIF_DHCP_CLIENT) && esp_netif->dhcpc_status == ESP_NETIF_DHCP_STARTED) {
        esp_netif->dhcpc_status = ESP_NETIF_DHCP_INIT;
        memset(&esp_netif->ip_info, 0, sizeof esp_netif->ip_info);
    }
#if LWIP_IPV6
    for (s8_t i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
        netif_ip6_addr_set(netif, i, IP6_ADDR_ANY6);
        netif_ip6_addr_set_state(netif, i, IP6_ADDR_INVALID);
    }
#endif
    netif_set_addr(netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
    netif_set_down(netif);
    netif_set_link_down(netif);
    if (esp_netif->flags & ESP_NETIF_DHCP_CLIENT) {
        host_netif_start_ip_lost_timer(esp_netif);
    }
    host_netif_update_default(esp_netif, HOST_DEFAULT_STOPPED);
    host_core_unlock(taken);
    return ESP_OK;
}

bool esp_netif_is_netif_up(esp_netif_t *esp_netif)
{
    return esp_netif != NULL && netif_is_up(&esp_netif->lwip);
}

/* esp_netif_set_mac_api: the stored MAC and lwIP's hwaddr, whether or not the netif was added. */
esp_err_t esp_netif_set_mac(esp_netif_t *esp_netif, uint8_t mac[])
{
    if (esp_netif == NULL) {
        return ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    const bool taken = host_core_lock();
    memcpy(esp_netif->mac, mac, 6);
    memcpy(esp_netif->lwip.hwaddr, mac, 6);
    host_core_unlock(taken);
    return ESP_OK;
}

/* esp_netif_get_mac: lwIP's hwaddr while up, else the stored MAC. */
esp_err_t esp_netif_get_mac(esp_netif_t *esp_netif, uint8_t mac[])
{
    if (esp_netif == NULL) {
        return ESP_ERR_ESP_NETIF_IF_NOT_READY;
    }
    memcpy(mac, esp_netif_is_netif_up(esp_netif) ? esp_netif->lwip.hwaddr : esp_netif->mac, 6);
    return ESP_OK;
}

/* Hostnames: v5.4 (LWIP_NETIF_HOSTNAME 1) points netif->hostname at the copy; Debian's lwIP has no such field,
 * so the copy is only kept and returned. */
esp_err_t esp_netif_set_hostname(esp_netif_t *esp_netif, const char *hostname)
{
    if (esp_netif == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (strlen(hostname) > HOSTNAME_MAX) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    char *copy = strdup(hostname);
    if (copy == NULL) {
        return ESP_ERR_NO_MEM;
    }
    free(esp_netif->hostname);
    esp_netif->hostname = copy;
    return ESP_OK;
}

/* v5.4: the netif's hostname, which ethernetif_init sets to CONFIG_LWIP_LOCAL_HOSTNAME ("espressif") unless one was
 * set; before netif_add there is none (ESP_ERR_ESP_NETIF_IF_NOT_READY). */
esp_err_t esp_netif_get_hostname(esp_netif_t *esp_netif, const char **hostname)
{
    if (esp_netif == NULL || hostname == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (esp_netif->hostname != NULL) {
        *hostname = esp_netif->hostname;
        return ESP_OK;
    }
    const bool taken = host_core_lock();
    bool added = false;
    struct netif *netif;
    NETIF_FOREACH(netif) {
        added = added || netif == &esp_netif->lwip;
    }
    host_core_unlock(taken);
    if (added) {
        *hostname = "espressif";
        return ESP_OK;
    }
    return ESP_ERR_ESP_NETIF_IF_NOT_READY;
}

esp_err_t esp_netif_tx_rx_event_enable(esp_netif_t *esp_netif)
{
    (void)esp_netif;
    return ESP_FAIL;
}

esp_err_t esp_netif_tx_rx_event_disable(esp_netif_t *esp_netif)
{
    (void)esp_netif;
    return ESP_FAIL;
}
