/*
 * The scripted radio's world: the access points in range, the lease, the timing, and the
 * changes waiting for their time.  A leaf: its lock is taken alone.
 */
#include "wifi/wifi.h"

#include <stdio.h>
#include <string.h>

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static host_radio_ap_t s_aps[HOST_RADIO_MAX_APS];
static size_t s_ap_count;
static esp_netif_ip_info_t s_lease;

/* Defaults in the range an ESP32 shows against a home AP: v5.4's default active scan time per channel
 * (WIFI_ACTIVE_SCAN_MAX_DEFAULT_TIME), a connection in a few hundred ms, a handshake that gives up after its
 * retries in seconds, DHCP in about a second, and the station's default inactive time of 6 s
 * (esp_wifi_set_inactive_time in v5.4's esp_wifi.h) before a silent AP ends the association. */
static host_radio_timing_t s_timing = {
    .scan_channel_ms = WIFI_ACTIVE_SCAN_MAX_DEFAULT_TIME,
    .connect_ms = 300,
    .auth_fail_ms = 1000,
    .handshake_timeout_ms = 4000,
    .dhcp_ms = 1000,
    .beacon_timeout_ms = 6000,
};

typedef struct {
    uint64_t at_ms;
    host_radio_change_t change;
} scheduled_t;
static scheduled_t s_changes[HOST_RADIO_MAX_CHANGES];
static size_t s_change_count;

void host_radio_reset(void)
{
    pthread_mutex_lock(&s_lock);
    s_ap_count = 0;
    s_change_count = 0;
    memset(&s_lease, 0, sizeof s_lease);
    pthread_mutex_unlock(&s_lock);
}

bool host_radio_put_ap(const host_radio_ap_t *ap)
{
    pthread_mutex_lock(&s_lock);
    size_t i = 0;
    while (i < s_ap_count && !(strcmp(s_aps[i].ssid, ap->ssid) == 0 && memcmp(s_aps[i].bssid, ap->bssid, 6) == 0)) {
        i++;
    }
    bool ok = i < HOST_RADIO_MAX_APS;
    if (ok) {
        s_aps[i] = *ap;
        s_ap_count = i == s_ap_count ? s_ap_count + 1 : s_ap_count;
    }
    pthread_mutex_unlock(&s_lock);
    return ok;
}

bool host_radio_find_ap(const char *ssid, const uint8_t *bssid, host_radio_ap_t *out)
{
    pthread_mutex_lock(&s_lock);
    const host_radio_ap_t *best = NULL;
    for (size_t i = 0; i < s_ap_count; i++) {
        const host_radio_ap_t *ap = &s_aps[i];
        if (ap->present && strcmp(ap->ssid, ssid) == 0 && (bssid == NULL || memcmp(ap->bssid, bssid, 6) == 0) &&
            (best == NULL || ap->rssi > best->rssi)) {
            best = ap;
        }
    }
    if (best != NULL) {
        *out = *best;
    }
    pthread_mutex_unlock(&s_lock);
    return best != NULL;
}

size_t host_radio_visible(host_radio_ap_t *out, size_t max)
{
    pthread_mutex_lock(&s_lock);
    size_t n = 0;
    for (size_t i = 0; i < s_ap_count && n < max; i++) {
        if (!s_aps[i].present) {
            continue;
        }
        size_t at = n++;  /* insertion sort, strongest first */
        while (at > 0 && out[at - 1].rssi < s_aps[i].rssi) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = s_aps[i];
    }
    pthread_mutex_unlock(&s_lock);
    return n;
}

void host_radio_set_timing(const host_radio_timing_t *timing)
{
    pthread_mutex_lock(&s_lock);
    s_timing = *timing;
    pthread_mutex_unlock(&s_lock);
}

host_radio_timing_t host_radio_timing(void)
{
    pthread_mutex_lock(&s_lock);
    host_radio_timing_t timing = s_timing;
    pthread_mutex_unlock(&s_lock);
    return timing;
}

void host_radio_set_lease(const esp_netif_ip_info_t *lease)
{
    pthread_mutex_lock(&s_lock);
    s_lease = *lease;
    pthread_mutex_unlock(&s_lock);
}

esp_netif_ip_info_t host_radio_lease(void)
{
    pthread_mutex_lock(&s_lock);
    esp_netif_ip_info_t lease = s_lease;
    pthread_mutex_unlock(&s_lock);
    return lease;
}

static bool apply_locked(const host_radio_change_t *change)
{
    bool found = false;
    for (size_t i = 0; i < s_ap_count; i++) {
        host_radio_ap_t *ap = &s_aps[i];
        if (strcmp(ap->ssid, change->ssid) != 0) {
            continue;
        }
        found = true;
        switch (change->kind) {
        case HOST_RADIO_AP_DOWN: ap->present = false; break;
        case HOST_RADIO_AP_UP: ap->present = true; break;
        case HOST_RADIO_AP_RSSI: ap->rssi = (int8_t)change->value; break;
        case HOST_RADIO_AP_PASSWORD: snprintf(ap->password, sizeof ap->password, "%s", change->text); break;
        }
    }
    return found;
}

static const char *kind_name(host_radio_change_kind_t kind)
{
    switch (kind) {
    case HOST_RADIO_AP_DOWN: return "AP off the air";
    case HOST_RADIO_AP_UP: return "AP back on the air";
    case HOST_RADIO_AP_RSSI: return "RSSI";
    case HOST_RADIO_AP_PASSWORD: return "password changed";
    }
    return "?";
}

bool host_radio_apply(const host_radio_change_t *change)
{
    pthread_mutex_lock(&s_lock);
    const bool found = apply_locked(change);
    pthread_mutex_unlock(&s_lock);
    if (found) {
        if (change->kind == HOST_RADIO_AP_RSSI) {
            host_log_line(ESP_LOG_INFO, "radio", "%s: RSSI %d dBm", change->ssid, change->value);
        } else {
            host_log_line(ESP_LOG_INFO, "radio", "%s: %s", change->ssid, kind_name(change->kind));
        }
        host_wifi_kick();
    }
    return found;
}

bool host_radio_schedule(uint64_t at_ms, const host_radio_change_t *change)
{
    pthread_mutex_lock(&s_lock);
    const bool ok = s_change_count < HOST_RADIO_MAX_CHANGES;
    if (ok) {
        s_changes[s_change_count++] = (scheduled_t){ .at_ms = at_ms, .change = *change };
    }
    pthread_mutex_unlock(&s_lock);
    host_wifi_kick();
    return ok;
}

uint64_t host_radio_run_due(uint64_t now_ms)
{
    for (;;) {
        pthread_mutex_lock(&s_lock);
        size_t due = SIZE_MAX;
        uint64_t next = UINT64_MAX;
        for (size_t i = 0; i < s_change_count; i++) {
            if (s_changes[i].at_ms <= now_ms && (due == SIZE_MAX || s_changes[i].at_ms < s_changes[due].at_ms)) {
                due = i;
            } else if (s_changes[i].at_ms > now_ms && s_changes[i].at_ms < next) {
                next = s_changes[i].at_ms;
            }
        }
        if (due == SIZE_MAX) {
            pthread_mutex_unlock(&s_lock);
            return next;
        }
        host_radio_change_t change = s_changes[due].change;
        memmove(&s_changes[due], &s_changes[due + 1], (s_change_count - due - 1) * sizeof s_changes[0]);
        s_change_count--;
        pthread_mutex_unlock(&s_lock);
        host_radio_apply(&change);  /* in time order, one at a time */
    }
}
