/*
 * The wifi task: the station's state machine against the scripted radio, the scan, and the
 * one place that posts Wi-Fi events, so handlers see them in the order the state changed.
 *
 * ESP-IDF v5.4's driver is closed source; what is mirrored is its documented behaviour
 * (docs/en/api-guides/wifi.rst, "Wi-Fi Station Connecting Scenario" and the reason-code
 * tables; esp_wifi.h):
 *   - esp_wifi_connect scans (fast scan: channel by channel up to the AP's; a missing AP
 *     costs every channel of the default country "01", 1..11), then authenticates and
 *     runs the 4-way handshake; it does not retry by itself: the application reconnects
 *     on WIFI_EVENT_STA_DISCONNECTED.
 *   - No AP with that SSID: NO_AP_FOUND (201).  Found but the station's RSSI threshold not
 *     met: 212; auth-mode threshold not met: 211 (an unset threshold with a WPA2-length
 *     password counts as WPA2, esp_wifi_types_generic.h's wifi_scan_threshold_t);
 *     security mismatch (password for an open AP, none for a secured one): 210.
 *   - Wrong password: WPA/WPA2-PSK ends in 4WAY_HANDSHAKE_TIMEOUT (15), the code the
 *     "related to wrong password" table names; WPA3-SAE is refused at authentication:
 *     AUTH_FAIL (202).
 *   - esp_wifi_disconnect / esp_wifi_stop: ASSOC_LEAVE (8).  An AP that stops sending
 *     beacons for the inactive time: WIFI_EVENT_STA_BEACON_TIMEOUT, then, after 5 unanswered
 *     probe requests, BEACON_TIMEOUT (200) (wifi.rst, "Wi-Fi Beacon Timeout").
 *   - esp_wifi_scan_start fails with ESP_ERR_WIFI_STATE while connecting.
 * An AP whose password changes deauthenticates its stations (AUTH_LEAVE, 3), as an AP
 * restarting its BSS does.
 */
#include "wifi/wifi.h"

#include <stdio.h>
#include <string.h>

#include "esp_mac.h"

#define TAG "wifi"
#define OUTBOX 64
#define EVENT_DATA_MAX 64
#define COUNTRY_CHANNELS 11   /* v5.4's default country "01": channels 1..11 */
#define SCAN_MAX 32
#define PROBE_REQUESTS 5      /* sent after a beacon timeout, each waiting a scan channel's time */

ESP_EVENT_DEFINE_BASE(WIFI_EVENT);

typedef struct {
    bool lease;                  /* a lease to bind instead of an event */
    esp_event_base_t base;
    int32_t id;
    uint8_t data[EVENT_DATA_MAX];
    size_t size;
    esp_netif_t *netif;
    esp_netif_ip_info_t ip;
} out_t;

typedef struct {
    bool pending;
    uint64_t at_ms;
    uint32_t generation;
} job_t;

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cond;
static pthread_cond_t s_scan_cond;
static bool s_thread_started, s_shutdown, s_kicked;
static host_wifi_status_t s_st;
static uint32_t s_generation;
static job_t s_connect_job, s_lease_job, s_scan_job;
static host_radio_ap_t s_ap;     /* the AP of the attempt or association */
static bool s_ap_found;
static uint64_t s_ap_silent_since;  /* 0: beacons seen */
static bool s_beacon_timeout_posted;
static wifi_scan_config_t s_scan_config;
static uint8_t s_scan_ssid[33], s_scan_bssid[6];
static bool s_scan_filter_ssid, s_scan_filter_bssid;
static uint8_t s_scan_id;
static wifi_ap_record_t s_scan_results[SCAN_MAX];
static uint16_t s_scan_count;
static bool s_scanning;
static out_t s_outbox[OUTBOX];
static size_t s_out_head, s_out_count;

static const char *event_name(int32_t id)
{
    switch (id) {
    case WIFI_EVENT_SCAN_DONE: return "SCAN_DONE";
    case WIFI_EVENT_STA_START: return "STA_START";
    case WIFI_EVENT_STA_STOP: return "STA_STOP";
    case WIFI_EVENT_STA_CONNECTED: return "STA_CONNECTED";
    case WIFI_EVENT_STA_DISCONNECTED: return "STA_DISCONNECTED";
    case WIFI_EVENT_AP_START: return "AP_START";
    case WIFI_EVENT_AP_STOP: return "AP_STOP";
    case WIFI_EVENT_AP_STACONNECTED: return "AP_STACONNECTED";
    case WIFI_EVENT_AP_STADISCONNECTED: return "AP_STADISCONNECTED";
    case WIFI_EVENT_STA_BEACON_TIMEOUT: return "STA_BEACON_TIMEOUT";
    default: return "WIFI_EVENT";
    }
}

/* s_lock held.  Keeps the last events for /api/status, oldest first. */
static void remember(const char *text)
{
    s_st.events++;
    size_t len = strlen(s_st.recent), add = strlen(text) + 2;
    while (len > 0 && len + add >= sizeof s_st.recent) {
        char *cut = strstr(s_st.recent, ", ");
        if (cut == NULL) {
            s_st.recent[0] = 0;
            len = 0;
            break;
        }
        memmove(s_st.recent, cut + 2, strlen(cut + 2) + 1);
        len = strlen(s_st.recent);
    }
    snprintf(s_st.recent + len, sizeof s_st.recent - len, "%s%s", len > 0 ? ", " : "", text);
}

/* s_lock held: queues an event for the wifi task to post. */
static void post_event(esp_event_base_t base, int32_t id, const void *data, size_t size, const char *text)
{
    if (s_out_count == OUTBOX || size > EVENT_DATA_MAX) {
        host_log_line(ESP_LOG_ERROR, TAG, "event %s lost: outbox full", text);
        return;
    }
    out_t *out = &s_outbox[(s_out_head + s_out_count++) % OUTBOX];
    *out = (out_t){ .base = base, .id = id, .size = size };
    if (size > 0) {
        memcpy(out->data, data, size);
    }
    remember(text);
    pthread_cond_broadcast(&s_cond);
}

/* s_lock held: a Wi-Fi event of the station or the AP's start/stop. */
static void post(int32_t id, const void *data, size_t size)
{
    char text[64];
    if (id == WIFI_EVENT_STA_DISCONNECTED) {
        snprintf(text, sizeof text, "STA_DISCONNECTED(%u)", ((const wifi_event_sta_disconnected_t *)data)->reason);
    } else {
        snprintf(text, sizeof text, "%s", event_name(id));
    }
    post_event(WIFI_EVENT, id, data, size, text);
}

void host_wifi_post(esp_event_base_t base, int32_t id, const void *data, size_t size, const char *text)
{
    pthread_mutex_lock(&s_lock);
    post_event(base, id, data, size, text);
    pthread_mutex_unlock(&s_lock);
}

static void post_lease(esp_netif_t *netif, const esp_netif_ip_info_t *ip)
{
    if (s_out_count == OUTBOX) {
        return;
    }
    out_t *out = &s_outbox[(s_out_head + s_out_count++) % OUTBOX];
    *out = (out_t){ .lease = true, .netif = netif, .ip = *ip };
    char text[40];
    snprintf(text, sizeof text, "GOT_IP " IPSTR, IP2STR(&ip->ip));
    remember(text);
    pthread_cond_broadcast(&s_cond);
}

static void disconnected(uint8_t reason)
{
    wifi_event_sta_disconnected_t event = { .reason = reason, .rssi = s_ap.rssi };
    const size_t len = strnlen(s_st.ssid, sizeof event.ssid);
    memcpy(event.ssid, s_st.ssid, len);
    event.ssid_len = (uint8_t)len;
    if (s_ap_found) {
        memcpy(event.bssid, s_ap.bssid, 6);
    }
    s_st.sta_state = HOST_STA_IDLE;
    s_st.last_reason = reason;
    s_generation++;
    s_connect_job.pending = s_lease_job.pending = false;
    s_ap_silent_since = 0;
    host_log_line(ESP_LOG_INFO, TAG, "disconnected from %s, reason %u", s_st.ssid, reason);
    post(WIFI_EVENT_STA_DISCONNECTED, &event, sizeof event);
}

/* The documented outcome of an attempt on the AP found (or not): 0 for success, else the reason. */
static uint8_t outcome(const wifi_sta_config_t *sta, bool found, const host_radio_ap_t *ap)
{
    if (!found) {
        return WIFI_REASON_NO_AP_FOUND;
    }
    const size_t pw = strnlen((const char *)sta->password, sizeof sta->password);
    wifi_auth_mode_t threshold = sta->threshold.authmode;
    if (threshold == WIFI_AUTH_OPEN && pw >= 8) {
        threshold = WIFI_AUTH_WPA2_PSK;
    }
    if (sta->threshold.rssi != 0 && ap->rssi < sta->threshold.rssi) {
        return WIFI_REASON_NO_AP_FOUND_IN_RSSI_THRESHOLD;
    }
    if (ap->auth < threshold) {
        return WIFI_REASON_NO_AP_FOUND_IN_AUTHMODE_THRESHOLD;
    }
    if ((ap->auth == WIFI_AUTH_OPEN) != (pw == 0)) {
        return WIFI_REASON_NO_AP_FOUND_W_COMPATIBLE_SECURITY;
    }
    if (ap->auth != WIFI_AUTH_OPEN && strncmp((const char *)sta->password, ap->password, sizeof sta->password) != 0) {
        return ap->auth == WIFI_AUTH_WPA3_PSK ? WIFI_REASON_AUTH_FAIL : WIFI_REASON_4WAY_HANDSHAKE_TIMEOUT;
    }
    return 0;
}

static uint64_t attempt_delay(const wifi_sta_config_t *sta, bool found, const host_radio_ap_t *ap,
                              const host_radio_timing_t *t)
{
    const uint64_t channels = sta->channel != 0 ? 1
                              : !found || sta->scan_method == WIFI_ALL_CHANNEL_SCAN ? COUNTRY_CHANNELS
                              : ap->channel;
    uint64_t delay = channels * t->scan_channel_ms;
    switch (outcome(sta, found, ap)) {
    case 0: return delay + t->connect_ms;
    case WIFI_REASON_AUTH_FAIL: return delay + t->auth_fail_ms;
    case WIFI_REASON_4WAY_HANDSHAKE_TIMEOUT: return delay + t->handshake_timeout_ms;
    default: return delay;
    }
}

/* s_lock held: the attempt's time is up. */
static void finish_attempt(void)
{
    wifi_sta_config_t sta;
    host_wifi_sta_config(&sta);
    s_ap_found = host_radio_find_ap(s_st.ssid, sta.bssid_set ? sta.bssid : NULL, &s_ap);
    const uint8_t reason = outcome(&sta, s_ap_found, &s_ap);
    if (reason != 0) {
        disconnected(reason);
        return;
    }
    s_st.sta_state = HOST_STA_CONNECTED;
    s_st.rssi = s_ap.rssi;
    s_st.channel = s_ap.channel;
    wifi_event_sta_connected_t event = { .channel = s_ap.channel, .authmode = s_ap.auth, .aid = 1 };
    const size_t len = strnlen(s_ap.ssid, sizeof event.ssid);
    memcpy(event.ssid, s_ap.ssid, len);
    event.ssid_len = (uint8_t)len;
    memcpy(event.bssid, s_ap.bssid, 6);
    host_log_line(ESP_LOG_INFO, TAG, "connected with %s, aid = 1, channel %u, bssid = " MACSTR, s_ap.ssid,
                  s_ap.channel, MAC2STR(s_ap.bssid));
    post(WIFI_EVENT_STA_CONNECTED, &event, sizeof event);
}

/* s_lock held: an associated station watches its AP (beacons, RSSI, password).  v5.4 (wifi.rst, "Wi-Fi Beacon
 * Timeout"): no beacon for the inactive time raises WIFI_EVENT_STA_BEACON_TIMEOUT, then the station sends 5 probe
 * requests; no answer to them either, and it disconnects (BEACON_TIMEOUT).  An AP back in time keeps it. */
static uint64_t watch_association(uint64_t now)
{
    host_radio_ap_t ap;
    if (!host_radio_find_ap(s_ap.ssid, s_ap.bssid, &ap)) {
        if (s_ap_silent_since == 0) {
            s_ap_silent_since = now;
            s_beacon_timeout_posted = false;
        }
        const host_radio_timing_t timing = host_radio_timing();
        const uint64_t timeout = s_ap_silent_since + timing.beacon_timeout_ms;
        const uint64_t probes_done = timeout + PROBE_REQUESTS * (uint64_t)timing.scan_channel_ms;
        if (now < timeout) {
            return timeout;
        }
        if (!s_beacon_timeout_posted) {
            s_beacon_timeout_posted = true;
            host_log_line(ESP_LOG_WARN, TAG, "beacon timeout: %s silent for %llu ms, probing", s_ap.ssid,
                          (unsigned long long)(now - s_ap_silent_since));
            post(WIFI_EVENT_STA_BEACON_TIMEOUT, NULL, 0);
        }
        if (now < probes_done) {
            return probes_done;
        }
        disconnected(WIFI_REASON_BEACON_TIMEOUT);
        return UINT64_MAX;
    }
    s_ap_silent_since = 0;
    s_st.rssi = s_ap.rssi = ap.rssi;
    if (strcmp(ap.password, s_ap.password) != 0) {
        disconnected(WIFI_REASON_AUTH_LEAVE);
    }
    return UINT64_MAX;
}

/* s_lock held. */
static void finish_scan(void)
{
    host_radio_ap_t seen[HOST_RADIO_MAX_APS];
    const size_t n = host_radio_visible(seen, HOST_RADIO_MAX_APS);
    s_scan_count = 0;
    for (size_t i = 0; i < n && s_scan_count < SCAN_MAX; i++) {
        const host_radio_ap_t *ap = &seen[i];
        if ((s_scan_filter_ssid && strcmp(ap->ssid, (const char *)s_scan_ssid) != 0) ||
            (s_scan_filter_bssid && memcmp(ap->bssid, s_scan_bssid, 6) != 0) ||
            (s_scan_config.channel != 0 && ap->channel != s_scan_config.channel)) {
            continue;
        }
        wifi_ap_record_t *r = &s_scan_results[s_scan_count++];
        memset(r, 0, sizeof *r);
        memcpy(r->bssid, ap->bssid, 6);
        memcpy(r->ssid, ap->ssid, strnlen(ap->ssid, 32));
        r->primary = ap->channel;
        r->rssi = ap->rssi;
        r->authmode = ap->auth;
        r->pairwise_cipher = r->group_cipher = ap->auth == WIFI_AUTH_OPEN ? WIFI_CIPHER_TYPE_NONE : WIFI_CIPHER_TYPE_CCMP;
        r->phy_11b = r->phy_11g = r->phy_11n = 1;
        r->bandwidth = WIFI_BW_HT20;
        memcpy(r->country.cc, "01", 3);
        r->country.schan = 1;
        r->country.nchan = COUNTRY_CHANNELS;
    }
    s_scanning = false;
    wifi_event_sta_scan_done_t event = { .status = 0, .number = (uint8_t)s_scan_count, .scan_id = ++s_scan_id };
    post(WIFI_EVENT_SCAN_DONE, &event, sizeof event);
    pthread_cond_broadcast(&s_scan_cond);
}

static uint64_t earliest(uint64_t a, const job_t *job)
{
    return job->pending && job->at_ms < a ? job->at_ms : a;
}

static void *wifi_task(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "wifi");
    pthread_mutex_lock(&s_lock);
    while (!s_shutdown) {
        pthread_mutex_unlock(&s_lock);
        const uint64_t radio_next = host_radio_run_due(host_now_ms());
        pthread_mutex_lock(&s_lock);
        const uint64_t now = host_now_ms();
        if (s_connect_job.pending && s_connect_job.at_ms <= now) {
            s_connect_job.pending = false;
            if (s_connect_job.generation == s_generation && s_st.sta_state == HOST_STA_CONNECTING) {
                finish_attempt();
            }
        }
        if (s_lease_job.pending && s_lease_job.at_ms <= now) {
            s_lease_job.pending = false;
            esp_netif_ip_info_t lease = host_radio_lease();
            esp_netif_t *sta = host_wifi_netif(WIFI_IF_STA);
            if (s_lease_job.generation == s_generation && s_st.sta_state == HOST_STA_CONNECTED && sta != NULL &&
                lease.ip.addr != 0) {
                post_lease(sta, &lease);
            }
        }
        if (s_scan_job.pending && s_scan_job.at_ms <= now) {
            s_scan_job.pending = false;
            finish_scan();
        }
        uint64_t next = radio_next;
        if (s_st.sta_state == HOST_STA_CONNECTED) {
            const uint64_t watch = watch_association(now);
            next = watch < next ? watch : next;
        }
        next = earliest(earliest(earliest(next, &s_connect_job), &s_lease_job), &s_scan_job);
        if (s_out_count > 0) {
            out_t batch[OUTBOX];
            size_t n = 0;
            while (s_out_count > 0) {
                batch[n++] = s_outbox[s_out_head];
                s_out_head = (s_out_head + 1) % OUTBOX;
                s_out_count--;
            }
            pthread_mutex_unlock(&s_lock);
            for (size_t i = 0; i < n; i++) {  /* posted without the lock: handlers call esp_wifi_* */
                if (batch[i].lease) {
                    host_netif_dhcpc_bound(batch[i].netif, &batch[i].ip);
                } else {
                    esp_err_t err = esp_event_post(batch[i].base, batch[i].id, batch[i].size ? batch[i].data : NULL,
                                                   batch[i].size, portMAX_DELAY);
                    if (err != ESP_OK) {
                        host_log_line(ESP_LOG_DEBUG, TAG, "%s not posted (esp_err 0x%x: no default event loop?)",
                                      batch[i].base == WIFI_EVENT ? event_name(batch[i].id) : "IP event", err);
                    }
                }
            }
            pthread_mutex_lock(&s_lock);
            continue;
        }
        if (s_kicked) {
            s_kicked = false;
            continue;
        }
        if (next == UINT64_MAX) {
            pthread_cond_wait(&s_cond, &s_lock);
        } else if (next > now) {
            struct timespec deadline = host_deadline_in_ms(next - now);
            host_cond_wait_until(&s_cond, &s_lock, &deadline);
        }
    }
    pthread_mutex_unlock(&s_lock);
    return NULL;
}

static void shutdown_hook(void)
{
    pthread_mutex_lock(&s_lock);
    s_shutdown = true;
    pthread_cond_broadcast(&s_cond);
    pthread_cond_broadcast(&s_scan_cond);
    pthread_mutex_unlock(&s_lock);
}

/* The lease for the station's DHCP client (netif/dhcpc_lease.c), core lock held. */
static bool provide_lease(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL || esp_netif != host_wifi_netif(WIFI_IF_STA)) {
        return false;
    }
    pthread_mutex_lock(&s_lock);
    s_lease_job = (job_t){ .pending = true, .at_ms = host_now_ms() + host_radio_timing().dhcp_ms,
                           .generation = s_generation };
    pthread_cond_broadcast(&s_cond);
    pthread_mutex_unlock(&s_lock);
    return true;
}

void host_wifi_core_init(void)
{
    pthread_mutex_lock(&s_lock);
    if (!s_thread_started) {
        host_cond_init(&s_cond);
        host_cond_init(&s_scan_cond);
        pthread_t thread;
        if (pthread_create(&thread, NULL, wifi_task, NULL) == 0) {
            pthread_detach(thread);
            s_thread_started = true;
            host_rtos_on_shutdown(shutdown_hook);
            host_netif_set_dhcpc_provider(provide_lease);
        }
    }
    s_st.initialised = true;
    pthread_mutex_unlock(&s_lock);
}

void host_wifi_kick(void)
{
    pthread_mutex_lock(&s_lock);
    s_kicked = true;
    pthread_cond_broadcast(&s_cond);
    pthread_mutex_unlock(&s_lock);
}

bool host_wifi_sta_link_open(void)
{
    pthread_mutex_lock(&s_lock);
    bool open = s_st.sta_state == HOST_STA_CONNECTED && s_ap_silent_since == 0;
    host_radio_ap_t ap = s_ap;
    pthread_mutex_unlock(&s_lock);
    /* off the air: nothing passes, even before the beacon timeout ends the association */
    return open && host_radio_find_ap(ap.ssid, ap.bssid, &ap);
}

void host_wifi_status(host_wifi_status_t *out)
{
    pthread_mutex_lock(&s_lock);
    *out = s_st;
    pthread_mutex_unlock(&s_lock);
    host_wifi_count(&out->rx_frames, &out->tx_frames, &out->rx_dropped, &out->tx_dropped);
}

/* esp_wifi_start / esp_wifi_stop's part here; the caller checked the state. */
void host_wifi_core_start(wifi_mode_t mode)
{
    pthread_mutex_lock(&s_lock);
    s_st.started = true;
    s_st.mode = mode;
    if (mode == WIFI_MODE_STA || mode == WIFI_MODE_APSTA) {
        post(WIFI_EVENT_STA_START, NULL, 0);
    }
    if (mode == WIFI_MODE_AP || mode == WIFI_MODE_APSTA) {
        s_st.ap_started = true;
        post(WIFI_EVENT_AP_START, NULL, 0);
    }
    pthread_mutex_unlock(&s_lock);
    if (mode == WIFI_MODE_AP || mode == WIFI_MODE_APSTA) {
        host_wifi_ap_set_started(true);   /* after AP_START: a station's join follows it */
    }
}

void host_wifi_core_stop(void)
{
    host_wifi_ap_set_started(false);   /* its station leaves (AP_STADISCONNECTED) before AP_STOP */
    pthread_mutex_lock(&s_lock);
    if (s_st.sta_state != HOST_STA_IDLE) {
        disconnected(WIFI_REASON_ASSOC_LEAVE);
    }
    if (s_st.mode == WIFI_MODE_STA || s_st.mode == WIFI_MODE_APSTA) {
        post(WIFI_EVENT_STA_STOP, NULL, 0);
    }
    if (s_st.ap_started) {
        s_st.ap_started = false;
        post(WIFI_EVENT_AP_STOP, NULL, 0);
    }
    s_scanning = s_scan_job.pending = false;
    s_st.started = false;
    pthread_cond_broadcast(&s_scan_cond);
    pthread_mutex_unlock(&s_lock);
}

void host_wifi_core_set_mode(wifi_mode_t mode)
{
    pthread_mutex_lock(&s_lock);
    s_st.mode = mode;
    pthread_mutex_unlock(&s_lock);
}

void host_wifi_core_deinit(void)
{
    pthread_mutex_lock(&s_lock);
    s_st.initialised = false;
    pthread_mutex_unlock(&s_lock);
}

/* The state checks of v5.4's calls after esp_wifi_start (esp_wifi.h's return codes), s_lock held:
 * initialised, then started. */
static esp_err_t started_err(void)
{
    return !s_st.initialised ? ESP_ERR_WIFI_NOT_INIT : !s_st.started ? ESP_ERR_WIFI_NOT_STARTED : ESP_OK;
}

/* ... and a mode with a station (esp_wifi_connect, _disconnect, _scan_start: ESP_ERR_WIFI_MODE). */
static esp_err_t sta_mode_err(void)
{
    esp_err_t err = started_err();
    if (err == ESP_OK && s_st.mode != WIFI_MODE_STA && s_st.mode != WIFI_MODE_APSTA) {
        err = ESP_ERR_WIFI_MODE;
    }
    return err;
}

esp_err_t esp_wifi_connect(void)
{
    wifi_sta_config_t sta;
    host_wifi_sta_config(&sta);
    pthread_mutex_lock(&s_lock);
    esp_err_t err = sta_mode_err();
    if (err == ESP_OK && s_st.sta_state == HOST_STA_IDLE) {
        snprintf(s_st.ssid, sizeof s_st.ssid, "%.32s", (const char *)sta.ssid);
        s_ap_found = host_radio_find_ap(s_st.ssid, sta.bssid_set ? sta.bssid : NULL, &s_ap);
        if (!s_ap_found) {
            memset(&s_ap, 0, sizeof s_ap);
        }
        const host_radio_timing_t timing = host_radio_timing();
        const uint64_t delay = attempt_delay(&sta, s_ap_found, &s_ap, &timing);
        s_st.sta_state = HOST_STA_CONNECTING;
        s_generation++;
        s_connect_job = (job_t){ .pending = true, .at_ms = host_now_ms() + delay, .generation = s_generation };
        host_log_line(ESP_LOG_INFO, TAG, "connecting to \"%s\"", s_st.ssid);
        pthread_cond_broadcast(&s_cond);
    }
    /* already connecting or connected: the attempt or association in progress goes on */
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_disconnect(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = sta_mode_err();
    if (err == ESP_OK && s_st.sta_state != HOST_STA_IDLE) {
        disconnected(WIFI_REASON_ASSOC_LEAVE);
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_sta_get_ap_info(wifi_ap_record_t *ap_info)
{
    if (ap_info == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = ESP_OK;
    if (!s_st.initialised) {
        err = ESP_ERR_WIFI_NOT_INIT;
    } else if (s_st.sta_state != HOST_STA_CONNECTED) {
        err = ESP_ERR_WIFI_NOT_CONNECT;
    } else {
        memset(ap_info, 0, sizeof *ap_info);
        memcpy(ap_info->bssid, s_ap.bssid, 6);
        memcpy(ap_info->ssid, s_ap.ssid, strnlen(s_ap.ssid, 32));
        ap_info->primary = s_ap.channel;
        ap_info->rssi = s_ap.rssi;
        ap_info->authmode = s_ap.auth;
        ap_info->pairwise_cipher = ap_info->group_cipher =
            s_ap.auth == WIFI_AUTH_OPEN ? WIFI_CIPHER_TYPE_NONE : WIFI_CIPHER_TYPE_CCMP;
        ap_info->phy_11b = ap_info->phy_11g = ap_info->phy_11n = 1;
        ap_info->bandwidth = WIFI_BW_HT20;
        memcpy(ap_info->country.cc, "01", 3);
        ap_info->country.schan = 1;
        ap_info->country.nchan = COUNTRY_CHANNELS;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_sta_get_rssi(int *rssi)
{
    wifi_ap_record_t info;
    esp_err_t err = rssi == NULL ? ESP_ERR_INVALID_ARG : esp_wifi_sta_get_ap_info(&info);
    if (err == ESP_OK) {
        *rssi = info.rssi;
    }
    return err;
}

esp_err_t esp_wifi_sta_get_aid(uint16_t *aid)
{
    wifi_ap_record_t info;
    esp_err_t err = aid == NULL ? ESP_ERR_INVALID_ARG : esp_wifi_sta_get_ap_info(&info);
    if (err == ESP_OK) {
        *aid = 1;
    }
    return err;
}

esp_err_t esp_wifi_scan_start(const wifi_scan_config_t *config, bool block)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = sta_mode_err();
    if (err == ESP_OK && (s_st.sta_state == HOST_STA_CONNECTING || s_scanning)) {
        err = ESP_ERR_WIFI_STATE;
    }
    if (err != ESP_OK) {
        pthread_mutex_unlock(&s_lock);
        return err;
    }
    memset(&s_scan_config, 0, sizeof s_scan_config);
    s_scan_filter_ssid = s_scan_filter_bssid = false;
    uint32_t per_channel = host_radio_timing().scan_channel_ms;
    if (config != NULL) {
        s_scan_config = *config;
        if (config->ssid != NULL) {
            snprintf((char *)s_scan_ssid, sizeof s_scan_ssid, "%.32s", (const char *)config->ssid);
            s_scan_filter_ssid = true;
        }
        if (config->bssid != NULL) {
            memcpy(s_scan_bssid, config->bssid, 6);
            s_scan_filter_bssid = true;
        }
        if (config->scan_type == WIFI_SCAN_TYPE_PASSIVE && config->scan_time.passive != 0) {
            per_channel = config->scan_time.passive;
        } else if (config->scan_type == WIFI_SCAN_TYPE_ACTIVE && config->scan_time.active.max != 0) {
            per_channel = config->scan_time.active.max;
        }
    }
    const uint64_t channels = config != NULL && config->channel != 0 ? 1 : COUNTRY_CHANNELS;
    s_scanning = true;
    s_scan_job = (job_t){ .pending = true, .at_ms = host_now_ms() + channels * per_channel };
    pthread_cond_broadcast(&s_cond);
    while (block && s_scanning && !s_shutdown) {
        pthread_cond_wait(&s_scan_cond, &s_lock);
    }
    pthread_mutex_unlock(&s_lock);
    return ESP_OK;
}

esp_err_t esp_wifi_scan_stop(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK && s_scanning) {
        s_scan_job.at_ms = host_now_ms();  /* ends now, with what it found, and SCAN_DONE as v5.4 posts it */
        pthread_cond_broadcast(&s_cond);
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_scan_get_ap_num(uint16_t *number)
{
    if (number == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK) {
        *number = s_scan_count;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* v5.4 frees the scan list once the records are read (esp_wifi.h: "free all memory" after get_ap_records). */
esp_err_t esp_wifi_scan_get_ap_records(uint16_t *number, wifi_ap_record_t *ap_records)
{
    if (number == NULL || ap_records == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK) {
        *number = *number < s_scan_count ? *number : s_scan_count;
        memcpy(ap_records, s_scan_results, *number * sizeof *ap_records);
        s_scan_count = 0;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_scan_get_ap_record(wifi_ap_record_t *ap_record)
{
    if (ap_record == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_st.initialised ? ESP_ERR_WIFI_NOT_INIT : s_scan_count == 0 ? ESP_FAIL : ESP_OK;
    if (err == ESP_OK) {
        *ap_record = s_scan_results[0];
        memmove(&s_scan_results[0], &s_scan_results[1], (size_t)(s_scan_count - 1) * sizeof s_scan_results[0]);
        s_scan_count--;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_clear_ap_list(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK) {
        s_scan_count = 0;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}
