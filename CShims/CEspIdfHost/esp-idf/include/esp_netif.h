/*
 * esp_netif.h on the host: esp-netif for one lwIP Ethernet interface, the way
 * ESP-IDF v5.1 drives lwIP:
 *
 *  esp_netif_new            allocates the esp_netif and an unregistered struct netif
 *                           (esp_netif_get_netif_impl already returns it)
 *  esp_netif_set_ip_info    stores the static address (applied to lwIP if added)
 *  esp_netif_action_start   netif_add(…, ethernetif_init, tcpip_input) under the core
 *                           lock, with the stored address; the netif stays down
 *  esp_netif_action_connected  netif_set_up + netif_set_link_up (gratuitous ARP goes
 *                           out through linkoutput), then IP_EVENT_ETH_GOT_IP for a
 *                           static address
 *  esp_netif_receive        the driver lends its buffer to lwIP (zero copy); lwIP
 *                           returns it through driver_free_rx_buffer when done
 *
 * Debian's liblwip has no DHCP client (LWIP_DHCP 0): with ESP_NETIF_DHCP_CLIENT
 * still set at connect time the interface comes up with whatever static address it
 * has, and a warning says so.  Hostnames are stored but lwIP has no netif hostname.
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
/** ESP_ERR_NOT_SUPPORTED, as on ESP-IDF. */
esp_err_t esp_netif_deinit(void);

esp_netif_t *esp_netif_new(const esp_netif_config_t *esp_netif_config);
void esp_netif_destroy(esp_netif_t *esp_netif);
esp_err_t esp_netif_set_driver_config(esp_netif_t *esp_netif, const esp_netif_driver_ifconfig_t *driver_config);
esp_err_t esp_netif_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle driver_handle);

/** Hands a received frame to lwIP.  The buffer stays lent until driver_free_rx_buffer(handle, buffer). */
esp_err_t esp_netif_receive(esp_netif_t *esp_netif, void *buffer, size_t len, void *eb);

void esp_netif_action_start(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_stop(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_connected(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_disconnected(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);
void esp_netif_action_got_ip(void *esp_netif, esp_event_base_t base, int32_t event_id, void *data);

esp_err_t esp_netif_set_default_netif(esp_netif_t *esp_netif);
esp_netif_t *esp_netif_get_default_netif(void);

esp_err_t esp_netif_set_mac(esp_netif_t *esp_netif, uint8_t mac[]);
esp_err_t esp_netif_get_mac(esp_netif_t *esp_netif, uint8_t mac[]);
esp_err_t esp_netif_set_hostname(esp_netif_t *esp_netif, const char *hostname);
esp_err_t esp_netif_get_hostname(esp_netif_t *esp_netif, const char **hostname);
bool esp_netif_is_netif_up(esp_netif_t *esp_netif);

esp_err_t esp_netif_get_ip_info(esp_netif_t *esp_netif, esp_netif_ip_info_t *ip_info);
/** Stores the address; applied to lwIP at once if the netif is added.  Needs the DHCP client stopped. */
esp_err_t esp_netif_set_ip_info(esp_netif_t *esp_netif, const esp_netif_ip_info_t *ip_info);

esp_err_t esp_netif_dhcpc_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcpc_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_dhcpc_get_status(esp_netif_t *esp_netif, esp_netif_dhcp_status_t *status);

esp_netif_t *esp_netif_get_handle_from_ifkey(const char *if_key);
const char *esp_netif_get_ifkey(esp_netif_t *esp_netif);
const char *esp_netif_get_desc(esp_netif_t *esp_netif);
esp_netif_flags_t esp_netif_get_flags(esp_netif_t *esp_netif);
esp_netif_iodriver_handle esp_netif_get_io_driver(esp_netif_t *esp_netif);

void esp_netif_set_ip4_addr(esp_ip4_addr_t *addr, uint8_t a, uint8_t b, uint8_t c, uint8_t d);
char *esp_ip4addr_ntoa(const esp_ip4_addr_t *addr, char *buf, int buflen);
uint32_t esp_ip4addr_aton(const char *addr);

#ifdef __cplusplus
}
#endif

#endif
