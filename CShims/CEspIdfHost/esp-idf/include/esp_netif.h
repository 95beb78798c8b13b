/*
 * esp_netif.h on the host: esp-netif on lwIP as ESP-IDF v5.4 runs it
 * (components/esp_netif/lwip/esp_netif_lwip.c, esp_netif_handlers.c), function by function:
 *
 *  esp_netif_new            creates the esp_netif and a zeroed struct netif (netif->state = the
 *                           esp_netif); nothing is added to lwIP, input/output/linkoutput are NULL
 *  esp_netif_action_start   esp_netif_start: the sanity check (driver transmit + handle, netstack
 *                           init + input; failing it aborts through ESP_ERROR_CHECK as on the chip),
 *                           netif_add(…, init_fn, tcpip_input); AUTOUP sets it up and link up
 *  esp_netif_action_connected  esp_netif_up: netif_set_addr(stored address), up, link up, default
 *                           netif by route_prio — also on a netif never started (not in netif_list);
 *                           GOT_IP is posted here only for a DHCP client that was stopped
 *  esp_netif_set_ip_info    stores; applies to lwIP if up; posts GOT_IP only with
 *                           ESP_NETIF_FLAG_EVENT_IP_MODIFIED on an up netif (ip_changed = really changed)
 *  esp_netif_action_disconnected  esp_netif_down: address 0, down, link down, IP-lost timer for a
 *                           DHCP client, next default netif
 *  esp_netif_receive        the netstack input (ethernetif_input: zero copy, the buffer returns
 *                           through driver_free_rx_buffer)
 *
 * What differs: Debian's liblwip has no DHCP client or server, no DNS client and no PPP, so
 * esp_netif_dhcpc_start fails with ESP_ERR_ESP_NETIF_DHCPC_START_FAILED on an up netif and DNS
 * servers are only stored.  Calls take lwIP's core lock where ESP-IDF posts to tcpip_thread.
 */
#ifndef ESP_IDF_HOST_ESP_NETIF_H
#define ESP_IDF_HOST_ESP_NETIF_H

#include <stdbool.h>
#include <stdint.h>
#include "sdkconfig.h"
#include "esp_err.h"
#include "esp_event.h"
#include "esp_netif_ip_addr.h"
#include "esp_netif_types.h"
#include "esp_netif_defaults.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Starts lwIP's tcpip thread (once per process). */
esp_err_t esp_netif_init(void);
/** ESP_ERR_NOT_SUPPORTED once the stack runs, as on ESP-IDF. */
esp_err_t esp_netif_deinit(void);

esp_netif_t *esp_netif_new(const esp_netif_config_t *esp_netif_config);
void esp_netif_destroy(esp_netif_t *esp_netif);
esp_err_t esp_netif_set_driver_config(esp_netif_t *esp_netif, const esp_netif_driver_ifconfig_t *driver_config);
esp_err_t esp_netif_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle driver_handle);

/** Hands a received frame to the netstack input (ethernetif_input); returns ESP_OK (v5.4 reports no errors
 *  unless CONFIG_ESP_NETIF_RECEIVE_REPORT_ERRORS). */
esp_err_t esp_netif_receive(esp_netif_t *esp_netif, void *buffer, size_t len, void *eb);
/** ESP_FAIL: CONFIG_ESP_NETIF_REPORT_DATA_TRAFFIC is off by default in v5.4. */
esp_err_t esp_netif_tx_rx_event_enable(esp_netif_t *esp_netif);
esp_err_t esp_netif_tx_rx_event_disable(esp_netif_t *esp_netif);

void esp_netif_action_start(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_stop(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_connected(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_disconnected(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_got_ip(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);

/** Sticky: the chosen netif stays default (whatever route_prio says) until it is destroyed. */
esp_err_t esp_netif_set_default_netif(esp_netif_t *esp_netif);
/** The esp_netif esp-netif last made default (not lwIP's netif_default). */
esp_netif_t *esp_netif_get_default_netif(void);

esp_err_t esp_netif_set_mac(esp_netif_t *esp_netif, uint8_t mac[]);
esp_err_t esp_netif_get_mac(esp_netif_t *esp_netif, uint8_t mac[]);
esp_err_t esp_netif_set_hostname(esp_netif_t *esp_netif, const char *hostname);
esp_err_t esp_netif_get_hostname(esp_netif_t *esp_netif, const char **hostname);
bool esp_netif_is_netif_up(esp_netif_t *esp_netif);

esp_err_t esp_netif_get_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info);
esp_err_t esp_netif_get_old_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info);
esp_err_t esp_netif_set_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info);
esp_err_t esp_netif_set_old_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info);
int esp_netif_get_netif_impl_index(esp_netif_t *esp_netif);
esp_err_t esp_netif_get_netif_impl_name(esp_netif_t *esp_netif, char *name);

esp_err_t esp_netif_dhcpc_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcpc_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcpc_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status);
esp_err_t esp_netif_dhcps_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcps_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcps_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status);

esp_err_t esp_netif_set_dns_info(esp_netif_t *esp_netif, esp_netif_dns_type_t type, esp_netif_dns_info_t *dns);
esp_err_t esp_netif_get_dns_info(esp_netif_t *esp_netif, esp_netif_dns_type_t type, esp_netif_dns_info_t *dns);

void esp_netif_set_ip4_addr(esp_ip4_addr_t *addr, uint8_t a, uint8_t b, uint8_t c, uint8_t d);
char *esp_ip4addr_ntoa(const esp_ip4_addr_t *addr, char *buf, int buflen);
uint32_t esp_ip4addr_aton(const char *addr);
esp_err_t esp_netif_str_to_ip4(const char *src, esp_ip4_addr_t *dst);

esp_netif_iodriver_handle esp_netif_get_io_driver(esp_netif_t *esp_netif);
esp_netif_t *esp_netif_get_handle_from_ifkey(const char *if_key);
esp_netif_flags_t esp_netif_get_flags(esp_netif_t *esp_netif);
const char *esp_netif_get_ifkey(esp_netif_t *esp_netif);
const char *esp_netif_get_desc(esp_netif_t *esp_netif);
int esp_netif_get_route_prio(esp_netif_t *esp_netif);
int32_t esp_netif_get_event_id(esp_netif_t *esp_netif, esp_netif_ip_event_type_t event_type);

esp_netif_t *esp_netif_next(esp_netif_t *esp_netif)
    __attribute__((deprecated("use esp_netif_next_unsafe() either directly or via esp_netif_tcpip_exec")));
/** The registry, newest first; NULL starts.  Unsafe as on ESP-IDF: call it inside esp_netif_tcpip_exec. */
esp_netif_t *esp_netif_next_unsafe(esp_netif_t *esp_netif);
typedef bool (*esp_netif_find_predicate_t)(esp_netif_t *netif, void *ctx);
esp_netif_t *esp_netif_find_if(esp_netif_find_predicate_t fn, void *ctx);
size_t esp_netif_get_nr_of_ifs(void);
void esp_netif_netstack_buf_ref(void *netstack_buf);
void esp_netif_netstack_buf_free(void *netstack_buf);
typedef esp_err_t (*esp_netif_callback_fn)(void *ctx);
/** Runs fn(ctx) in the lwIP context (under the core lock here) and returns its result. */
esp_err_t esp_netif_tcpip_exec(esp_netif_callback_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
