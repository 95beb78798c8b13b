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

/* netif.c */
struct esp_netif_obj {
    struct netif lwip;                 /* first: esp_netif_get_netif_impl returns &lwip */
    uint32_t magic;
    bool added;
    esp_netif_flags_t flags;
    uint8_t mac[6];
    esp_netif_ip_info_t ip_info;
    uint32_t get_ip_event;
    uint32_t lost_ip_event;
    char *if_key;
    char *if_desc;
    int route_prio;
    esp_netif_driver_ifconfig_t driver;
    init_fn_t init_fn;
    input_fn_t input_fn;
    esp_netif_dhcp_status_t dhcpc;
    char hostname[33];
    netif_linkoutput_fn driver_linkoutput;  /* the driver's linkoutput, once wrapped */
    bool sync_tx_seen;                      /* its linkoutput has written to the UART itself */
    struct esp_netif_obj *next;
};
/* The esp_netif that owns this lwIP netif, or NULL (a netif of the Swift driver, loopback, …). */
esp_netif_t *host_netif_owner(const struct netif *netif);
/* Any esp_netif's gateway equals ip (network order)? */
bool host_netif_is_gateway(uint32_t ip);

/* linkoutput.c: puts the checking wrapper in front of the driver's linkoutput (core lock held). */
void host_linkoutput_adopt(esp_netif_t *esp_netif);
/* Starts the periodic adopt check and ESP-IDF's periodic gratuitous ARP (core lock held). */
void host_netif_timers_start(void);

/* static_arp.c: answers an ARP request for a static entry inside the host (core lock held). */
bool host_static_arp_intercept(struct netif *netif, const struct pbuf *p);

/* input.c: lwIP's tcpip_input, bypassing the host's interposer (for frames the host itself makes). */
err_t host_real_tcpip_input(struct pbuf *p, struct netif *inp);
/* wire.c: a frame reached netif->input of an esp_netif: match it against the wire. */
void host_wire_input_seen(const struct pbuf *p);
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
