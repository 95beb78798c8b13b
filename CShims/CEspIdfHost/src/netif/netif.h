/* The netif layer's interface (esp_netif on lwIP, ethernetif, static ARP, the linkoutput wrapper, core lock). */
#ifndef HOST_NETIF_H
#define HOST_NETIF_H

#include <lwip/netif.h>
#include <lwip/pbuf.h>

#include "drivers/drivers.h"
#include "esp_netif.h"
#include "lwip/esp_netif_net_stack.h"
#include "netif/sockets.h"
#include "system/system.h"

/* netif/: esp_netif as ESP-IDF v5.4's esp_netif_lwip.c keeps it (esp_netif_lwip_internal.h's esp_netif_obj),
 * plus what the host's checks need.  The lwIP netif is embedded (ESP-IDF callocs it in esp_netif_new_api and
 * keeps it until esp_netif_destroy), so esp_netif_get_netif_impl returns &lwip from the start. */
struct esp_netif_obj {
    struct netif lwip;                 /* first: esp_netif_get_netif_impl returns &lwip */
    uint8_t mac[6];
    esp_netif_ip_info_t ip_info;
    esp_netif_ip_info_t ip_info_old;
    init_fn_t lwip_init_fn;
    input_fn_t lwip_input_fn;
    void *driver_handle;
    esp_err_t (*driver_transmit)(void *h, void *buffer, size_t len);
    esp_err_t (*driver_transmit_wrap)(void *h, void *buffer, size_t len, void *pbuf);
    void (*driver_free_rx_buffer)(void *h, void *buffer);
    esp_netif_dhcp_status_t dhcpc_status;
    esp_netif_dhcp_status_t dhcps_status;
    bool timer_running;                /* the IP-lost timer */
    uint32_t get_ip_event;
    uint32_t lost_ip_event;
    esp_netif_flags_t flags;
    char *hostname;
    char *if_key;
    char *if_desc;
    int route_prio;
    esp_netif_dns_info_t dns[ESP_NETIF_DNS_MAX];  /* kept here: Debian's liblwip has no DNS client */
    /* host only */
    netif_linkoutput_fn driver_linkoutput;  /* the driver's linkoutput, once wrapped */
    bool sync_tx_seen;                      /* its linkoutput has written to the UART itself */
    struct esp_netif_obj *next;             /* the registry, newest first like ESP-IDF's SLIST_INSERT_HEAD */
};
/* The esp_netif whose embedded lwIP netif this is, by identity (not netif->state, which a driver may change);
 * NULL for a netif of the Swift driver, loopback, …. */
esp_netif_t *host_netif_owner(const struct netif *netif);
/* Any esp_netif's gateway equals ip (network order)? */
bool host_netif_is_gateway(uint32_t ip);
/* Registry membership (netif/esp_netif_objects.c). */
void host_netif_list_add(esp_netif_t *esp_netif);
bool host_netif_list_remove(esp_netif_t *esp_netif);
bool host_netif_listed(const esp_netif_t *esp_netif);
/* The registry in ESP-IDF's order (esp_netif_next_unsafe); NULL starts. Callers hold the core lock. */
esp_netif_t *host_netif_next(esp_netif_t *after);
/* ESP-IDF's esp_netif_update_default_netif (netif/esp_netif_default.c); core lock held. */
typedef enum { HOST_DEFAULT_STARTED, HOST_DEFAULT_GOT_IP, HOST_DEFAULT_STOPPED, HOST_DEFAULT_LOST_IP,
               HOST_DEFAULT_SET } host_default_action_t;
void host_netif_update_default(esp_netif_t *esp_netif, host_default_action_t action);
/* esp_netif_private.h's life cycle (netif/esp_netif_lwip.c), called by the esp_netif_action_* handlers. */
esp_err_t esp_netif_start(esp_netif_t *esp_netif);
esp_err_t esp_netif_stop(esp_netif_t *esp_netif);
esp_err_t esp_netif_up(esp_netif_t *esp_netif);
esp_err_t esp_netif_down(esp_netif_t *esp_netif);
bool esp_netif_is_valid_static_ip(esp_netif_ip_info_t *ip_info);
/* ESP-IDF's esp_netif_start_ip_lost_timer (netif/esp_netif_ip.c); core lock held. */
void host_netif_start_ip_lost_timer(esp_netif_t *esp_netif);
/* Takes lwIP's core lock unless this thread holds it already (ESP-IDF runs its *_api functions in the tcpip
 * thread and calls them directly when already there); returns whether it took it, for host_core_unlock. */
bool host_core_lock(void);
void host_core_unlock(bool taken);

/* ip_forward.c: lwIP forwards between netifs only when the firmware's CONFIG_LWIP_IP_FORWARD says so (v5.4's default
 * is off); how many packets were not forwarded. */
void host_netif_set_ip_forward(bool on);
uint64_t host_netif_forwards_refused(void);

/* dhcpc_lease.c: a DHCP client served by another layer (Debian's liblwip has none).  The provider is asked by
 * esp_netif_dhcpc_start (core lock held) and answers whether it will serve this netif; it later hands the lease
 * to host_netif_dhcpc_bound (core lock not held). */
typedef bool (*host_dhcpc_provider_t)(esp_netif_t *esp_netif);
void host_netif_set_dhcpc_provider(host_dhcpc_provider_t provider);
bool host_netif_dhcpc_provided(esp_netif_t *esp_netif);
void host_netif_dhcpc_bound(esp_netif_t *esp_netif, const esp_netif_ip_info_t *lease);

/* linkoutput.c: the wrapper in front of the driver's linkoutput (static ARP, one piece per call); core lock held. */
void host_linkoutput_adopt(esp_netif_t *esp_netif);
/* Starts the periodic adopt check and ESP-IDF's periodic gratuitous ARP (core lock held). */
void host_netif_timers_start(void);
/* What a probe learns of each linkoutput call: the frame, the bytes the driver wrote to the link UART during the
 * call, its result, and whether it freed p (its reference was absorbed by the wrapper's extra one). */
typedef void (*host_linkoutput_observer_t)(esp_netif_t *esp_netif, const struct pbuf *p, const uint8_t *written,
                                           size_t count, err_t err, bool freed_p);
void host_netif_set_linkoutput_observer(host_linkoutput_observer_t observer);

/* static_arp.c: answers an ARP request for a static entry inside the host (core lock held). */
bool host_static_arp_intercept(struct netif *netif, const struct pbuf *p);

/* tcpip_input_real.c: liblwip's own tcpip_input, past the probes' interposer (for frames the host itself makes). */
err_t host_real_tcpip_input(struct pbuf *p, struct netif *inp);

/* core_lock.c */
bool host_tcpip_started(void);
bool host_firmware_loaded(void);
void host_set_firmware_loaded(bool loaded);

#endif
