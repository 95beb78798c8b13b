/*
 * Shared declarations between the host layer's source files (not visible to
 * firmware, not imported into Swift).  Names are host_… ; everything a firmware
 * or Swift calls has its ESP-IDF or CEspIdfHost_ name instead.
 */
#ifndef ESP_IDF_HOST_INTERNAL_H
#define ESP_IDF_HOST_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lwip/netif.h>
#include <lwip/pbuf.h>

#include "esp_netif.h"
#include "lwip/esp_netif_net_stack.h"

#define HOST_TAG "esp_idf_host"

/* clock.c: one monotonic clock for ticks, log timestamps and deadlines. */
uint64_t host_now_us(void);
uint64_t host_now_ms(void);
/* An absolute CLOCK_MONOTONIC time `ms` from now, for pthread_cond_clockwait. */
struct timespec host_deadline_in_ms(uint64_t ms);
/* pthread_cond_t that waits on CLOCK_MONOTONIC. */
void host_cond_init(pthread_cond_t *cond);
/* Waits on cond until deadline; returns false on timeout. */
bool host_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline);

/* defects.c: count a named defect and log it (the first time in full, then at 10, 100, …). */
void host_defect(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* counters.c: the numbers CEspIdfHost_readCounters returns. */
typedef enum {
    HOST_RX_FRAMES, HOST_RX_BYTES, HOST_DROPPED_BY_STACK, HOST_TX_FRAMES, HOST_TX_BYTES,
    HOST_GATEWAY_ARP_LOCAL, HOST_RX_OVERFLOW_BYTES, HOST_DISCARDED_ON_DISCONNECT,
    HOST_RX_LENT, HOST_RX_RETURNED, HOST_COUNTER_COUNT
} host_counter_t;
void host_count(host_counter_t counter, uint64_t amount);

/* tasks.c */
/* Ends the calling task now if vTaskDelete or shutdown marked it (call with no locks held). */
void host_task_exit_if_deleted(void);
/* True if the calling task was marked for deletion. */
bool host_task_deletion_pending(void);
bool host_is_shutting_down(void);

/* uart.c / tx_stream.c: the TX path to the link. */
/* Writes made by this thread until capture_end are collected instead of sent. */
void host_tx_capture_begin(void);
/* Stops collecting; returns the collected bytes (owned by the thread, valid until the next begin). */
const uint8_t *host_tx_capture_end(size_t *count);
/* Sends bytes to the link (through the TX stream check), serialised with every other sender. */
void host_tx_emit(const uint8_t *bytes, size_t count);
/* Resets the TX stream parser, e.g. when the peer changes. */
void host_tx_stream_reset(void);
void host_uart_wake_all(void);

/* netif/: esp_netif as ESP-IDF v5.4's esp_netif_lwip.c keeps it (esp_netif_lwip_internal.h's esp_netif_obj),
 * plus what the host's checks need.  The lwIP netif is embedded (ESP-IDF callocs it in esp_netif_new_api and
 * keeps it until esp_netif_destroy), so esp_netif_get_netif_impl returns &lwip from the start. */
struct esp_netif_obj {
    struct netif lwip;                 /* first: esp_netif_get_netif_impl returns &lwip */
    uint32_t magic;
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
/* Forgets a destroyed esp_netif as the remembered default (core lock held). */
void host_netif_default_forget(esp_netif_t *esp_netif);
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

/* probes/symbols.c: "netif_set_default" or "firmware.so+0x1c2f" for a code address; is it the firmware's? */
void host_describe_address(const void *address, char *out, size_t size);
bool host_in_firmware(const void *address);
/* probes/crash.c: names a crash of the firmware (a call through a NULL netif/driver pointer, or a fault inside the
 * firmware) before the process dies of it. */
void host_crash_watch_start(void);

/* probes/defects.c: a defect that crashes an ESP32.  Logs "E … FATAL <name>: …" with what ESP-IDF v5.4 does
 * there, then ends the device as the chip's panic would (abort: non-zero exit).  Never returns. */
void host_fatal(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Logs the FATAL line only (for callers that end the device through ESP_ERROR_CHECK's own report). */
void host_fatal_note(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* linkoutput.c: puts the checking wrapper in front of the driver's linkoutput (core lock held). */
void host_linkoutput_adopt(esp_netif_t *esp_netif);
/* Starts the periodic adopt check and ESP-IDF's periodic gratuitous ARP (core lock held). */
void host_netif_timers_start(void);

/* static_arp.c: answers an ARP request for a static entry inside the host (core lock held). */
bool host_static_arp_intercept(struct netif *netif, const struct pbuf *p);

/* input.c: lwIP's tcpip_input, bypassing the host's interposer (for frames the host itself makes). */
err_t host_real_tcpip_input(struct pbuf *p, struct netif *inp);
/* wire.c: a frame reached netif->input of an esp_netif: match it against the wire. */
void host_wire_input_seen(const struct netif *netif, const struct pbuf *p);
/* The frames noted so far arrived in link bytes ending at stream offset stream_end (uart.c, after feeding). */
void host_wire_fed(uint64_t stream_end);
/* The peer left with the stream read up to `consumed`: frames ending later are excused. */
void host_wire_excuse_unread(uint64_t consumed);
uint64_t host_frame_hash(const uint8_t *bytes, size_t count, uint64_t hash);
#define HOST_HASH_SEED 0xcbf29ce484222325ULL

/* core_lock.c */
bool host_tcpip_started(void);
bool host_firmware_loaded(void);

/* httpd.c */
void host_httpd_stop_all(void);

#endif
