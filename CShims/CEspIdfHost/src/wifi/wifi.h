/*
 * The wifi layer's interface: esp_wifi (ESP-IDF v5.4's station and soft-AP API) on a scripted radio.
 *
 * The "radio" is the link: the station's frames are the tunnel's records, and the radio
 * decides whether they pass.  It knows the access points the device can see (SSID,
 * password, auth mode, channel, RSSI, BSSID), the lease a connected station gets (Debian's
 * liblwip has no DHCP client: the radio serves the netif's client through
 * host_netif_dhcpc_bound, as lwIP's client would bind) and changes over time (an AP
 * disappears, its RSSI or password changes).  The toolkit fills it from the scenario file
 * (`--radio FILE`) and from run-time commands.
 *
 *   firmware ─ esp_wifi_connect ─▶ wifi task (radio.c decides after scan/auth delays)
 *                                   └▶ WIFI_EVENT_STA_CONNECTED / _DISCONNECTED(reason) ─▶ default loop
 *   lwIP ─ linkoutput ─▶ wifi driver transmit ─▶ link record (associated), else dropped and counted
 *   link record ─▶ host_wifi_sta_receive ─▶ esp_netif_receive (associated), else dropped and counted
 *   soft-AP: the same both ways on a second link (`--ap-listen`) whose peer is a station (wifi_softap.c)
 *
 * Delays use the host clock (base/clock.c), so a virtual clock drives the radio too.
 */
#ifndef HOST_WIFI_H
#define HOST_WIFI_H

#include "esp_wifi.h"
#include "netif/netif.h"

#define HOST_RADIO_MAX_APS 16
#define HOST_RADIO_MAX_CHANGES 64

/* radio.c: what the device can see.  Every function takes the radio's own lock (a leaf). */
typedef struct {
    char ssid[33];
    char password[65];
    wifi_auth_mode_t auth;
    uint8_t channel;
    int8_t rssi;
    uint8_t bssid[6];
    bool present;                /* in range: beacons and probe answers */
} host_radio_ap_t;

typedef struct {
    uint32_t scan_channel_ms;    /* time on each channel of a scan (v5.4's active default: 120 ms) */
    uint32_t connect_ms;         /* auth + association + 4-way handshake of a good attempt */
    uint32_t auth_fail_ms;       /* until a WPA3-SAE AP refuses a wrong password (AUTH_FAIL) */
    uint32_t handshake_timeout_ms; /* until a WPA/WPA2 handshake with a wrong password gives up */
    uint32_t dhcp_ms;            /* from association to the lease (GOT_IP) */
    uint32_t beacon_timeout_ms;  /* an AP gone this long ends the association (BEACON_TIMEOUT) */
} host_radio_timing_t;

typedef enum {
    HOST_RADIO_AP_DOWN,          /* the AP leaves the air */
    HOST_RADIO_AP_UP,            /* … and comes back */
    HOST_RADIO_AP_RSSI,          /* value: the new RSSI */
    HOST_RADIO_AP_PASSWORD,      /* text: the new password (stations associated with it are deauthenticated) */
} host_radio_change_kind_t;

typedef struct {
    host_radio_change_kind_t kind;
    char ssid[33];
    int value;
    char text[65];
} host_radio_change_t;

void host_radio_reset(void);
/* Adds the AP, or replaces the one with the same SSID and BSSID. false: the table is full. */
bool host_radio_put_ap(const host_radio_ap_t *ap);
/* The strongest present AP named ssid (and with bssid, when not NULL); false if none. */
bool host_radio_find_ap(const char *ssid, const uint8_t *bssid, host_radio_ap_t *out);
/* Present APs, strongest first; returns how many (at most max). */
size_t host_radio_visible(host_radio_ap_t *out, size_t max);
void host_radio_set_timing(const host_radio_timing_t *timing);
host_radio_timing_t host_radio_timing(void);
void host_radio_set_lease(const esp_netif_ip_info_t *lease);
esp_netif_ip_info_t host_radio_lease(void);
/* Applies a change now; false if no AP has that SSID. */
bool host_radio_apply(const host_radio_change_t *change);
/* Queues a change for host time at_ms (ms since power-on); the wifi task applies it. false: the queue is full. */
bool host_radio_schedule(uint64_t at_ms, const host_radio_change_t *change);
/* Applies the changes due by now_ms; returns the time of the next one, or UINT64_MAX. */
uint64_t host_radio_run_due(uint64_t now_ms);

/* wifi_core.c: the wifi task and the station's state machine. */
typedef enum { HOST_STA_IDLE, HOST_STA_CONNECTING, HOST_STA_CONNECTED } host_sta_state_t;
typedef struct {
    bool initialised, started;
    wifi_mode_t mode;
    host_sta_state_t sta_state;
    char ssid[33];               /* the AP the station is connected or connecting to */
    int8_t rssi;
    uint8_t channel;
    uint8_t last_reason;         /* of the last STA_DISCONNECTED; 0: none yet */
    bool ap_started;
    uint64_t rx_frames, tx_frames, rx_dropped, tx_dropped;
    uint64_t events;             /* Wi-Fi and IP events posted */
    char recent[512];            /* the last events, oldest first, ", "-separated */
} host_wifi_status_t;
void host_wifi_status(host_wifi_status_t *out);
/* esp_wifi_init/deinit/set_mode/start/stop's part in the core (wifi_init.c checked the state). */
void host_wifi_core_init(void);
void host_wifi_core_deinit(void);
void host_wifi_core_set_mode(wifi_mode_t mode);
void host_wifi_core_start(wifi_mode_t mode);
void host_wifi_core_stop(void);
/* Wakes the wifi task (a radio change was applied or scheduled). */
void host_wifi_kick(void);
/* Is the station associated with an AP that is on the air (frames pass)? */
bool host_wifi_sta_link_open(void);

/* wifi_driver.c: the Wi-Fi netifs' I/O driver. */
void *host_wifi_driver_create(wifi_interface_t wifi_if);
void host_wifi_driver_destroy(void *driver);
bool host_wifi_is_driver(const void *driver);
esp_netif_t *host_wifi_netif(wifi_interface_t wifi_if);
/* A station netif is attached: the link carries the station's frames. */
bool host_wifi_sta_attached(void);
/* One frame from the link for the station: delivered while associated, else dropped and counted. */
void host_wifi_sta_receive(const uint8_t *frame, size_t count);
/* Does this esp_netif belong to the host's Wi-Fi driver (not the firmware's)? */
bool host_wifi_owns(const esp_netif_t *esp_netif);
void host_wifi_count(uint64_t *rx_frames, uint64_t *tx_frames, uint64_t *rx_dropped, uint64_t *tx_dropped);

/* wifi_core.c: queues an event for the wifi task, the one poster (so handlers see events in order); `text` is its
 * entry in /api/status's recent events. */
void host_wifi_post(esp_event_base_t base, int32_t id, const void *data, size_t size, const char *text);

/* wifi_softap.c: the soft-AP's stations on the second link (`--ap-listen`). */
typedef struct {
    bool started;                /* the soft-AP runs (esp_wifi_start in AP or APSTA mode) */
    bool peer;                   /* the link has a peer: a station in range */
    bool associated;             /* … that has sent its first frame (AP_STACONNECTED posted) */
    uint8_t mac[6];              /* the station's MAC: its first frame's source */
    bool has_ip;
    uint32_t ip;                 /* network order; with has_ip (AP_STAIPASSIGNED posted) */
    uint64_t joins, refused;
    uint64_t rx_frames, tx_frames, rx_dropped, tx_dropped;
} host_wifi_softap_status_t;
/* Where the AP's records go (the toolkit's second link); called with the core lock often held. */
typedef void (*host_wifi_ap_sink_t)(void *context, const uint8_t *record, size_t count);
void host_wifi_set_ap_sink(host_wifi_ap_sink_t sink, void *context);
/* The soft-AP starts or stops (wifi_core.c, without its lock): stopping deauthenticates the station. */
void host_wifi_ap_set_started(bool started);
/* The second link's peer connected (a station in range) or left (it leaves the BSS). */
void host_wifi_ap_peer(bool present);
/* One frame from the second link for the AP netif: delivered once the station is associated, else counted. */
void host_wifi_ap_receive(const uint8_t *frame, size_t count);
/* The AP netif's driver transmit: one record to the station, or dropped and counted. */
esp_err_t host_wifi_ap_transmit(const void *frame, size_t len);
void host_wifi_ap_station_list(wifi_sta_list_t *list);
void host_wifi_softap_status(host_wifi_softap_status_t *out);

/* wifi_init.c: configuration the core reads. */
bool host_wifi_sta_config(wifi_sta_config_t *out);

/* wifi_storage.c: WIFI_STORAGE_FLASH's copy in NVS (namespace "nvs.net80211").  NVS calls: not under a Wi-Fi lock. */
typedef struct {
    bool has_mode, has_sta, has_ap;
    wifi_mode_t mode;
    wifi_sta_config_t sta;
    wifi_ap_config_t ap;
} host_wifi_stored_t;
/* What is stored (nothing on an erased partition); ESP_ERR_NVS_NOT_INITIALIZED before nvs_flash_init. */
esp_err_t host_wifi_storage_load(host_wifi_stored_t *out);
esp_err_t host_wifi_storage_save_mode(wifi_mode_t mode);
esp_err_t host_wifi_storage_save_config(wifi_interface_t ifx, const wifi_config_t *conf);
esp_err_t host_wifi_storage_erase(void);

#endif
