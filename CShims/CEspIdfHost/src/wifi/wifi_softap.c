/*
 * The soft-AP's radio: a second link (`uart-tunnel device --ap-listen`), whose peer is a
 * station of the device's AP.  Records carry the AP netif's frames as the UART link
 * carries the station's; the toolkit decodes them and hands each frame here.
 *
 *   peer connects        ─▶ host_wifi_ap_peer(true): in range, not yet associated
 *   its first frame      ─▶ associated: WIFI_EVENT_AP_STACONNECTED {mac = the frame's source, aid 1}
 *   ARP/IPv4 from inside the AP's subnet ─▶ IP_EVENT_AP_STAIPASSIGNED {esp_netif, ip, mac}
 *   peer leaves          ─▶ WIFI_EVENT_AP_STADISCONNECTED {mac, aid, reason ASSOC_LEAVE}
 *
 * The link carries no MAC of its own, so the station associates with its first frame (a TAP
 * interface sends one as it comes up or at its first ARP); its MAC is that frame's source.
 * ESP-IDF v5.4 posts IP_EVENT_AP_STAIPASSIGNED from its DHCP server's callback
 * (esp_netif_lwip.c, esp_netif_dhcps_cb).  Debian's liblwip has no DHCP server, so the
 * station configures its address itself and the event is posted when that address shows:
 * the sender of its first ARP or IPv4 frame inside the AP netif's subnet.
 *
 * Nothing else reacts on the device: v5.4's wifi_default.c registers handlers for the AP's
 * start and stop only (wifi_default_action_ap_start/_stop, here wifi_default.c), none for
 * its stations; its DHCP server is started by esp_netif_start for a netif with
 * ESP_NETIF_DHCP_SERVER (esp_netif_lwip.c), which the host's netif layer reports missing.
 *
 * One link is one station at a time (aid 1); max_connection (esp_wifi_types_generic.h's
 * wifi_ap_config_t) of 0 would refuse it.  While the soft-AP is not started (esp_wifi_start in
 * AP or APSTA mode, see wifi_core.c) or no station is associated, frames both ways are
 * dropped and counted.  Payload layouts are v5.4's: wifi_event_ap_staconnected_t (mac, aid,
 * is_mesh_child), wifi_event_ap_stadisconnected_t (… and reason), wifi_sta_info_t /
 * wifi_sta_list_t for esp_wifi_ap_get_sta_list.
 *
 * Lock: s_lock here may be held while wifi_core.c's state is taken (host_wifi_post), never
 * the other way round; no lwIP call is made under it.
 */
#include "wifi/wifi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CUartTunnelWire.h"
#include "esp_mac.h"

#define TAG "wifi"
#define STATION_AID 1
/* The station's signal as the AP hears it: a station next to the device (the link has no radio path). */
#define STATION_RSSI (-40)

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static host_wifi_ap_sink_t s_sink;
static void *s_sink_context;
static host_wifi_softap_status_t s_st;

void host_wifi_set_ap_sink(host_wifi_ap_sink_t sink, void *context)
{
    pthread_mutex_lock(&s_lock);
    s_sink = sink;
    s_sink_context = context;
    pthread_mutex_unlock(&s_lock);
}

/* s_lock held: the associated station leaves (v5.4 payload: mac, aid, is_mesh_child, reason). */
static void station_leaves(uint16_t reason)
{
    if (!s_st.associated) {
        return;
    }
    wifi_event_ap_stadisconnected_t event = { .aid = STATION_AID, .is_mesh_child = false, .reason = reason };
    memcpy(event.mac, s_st.mac, 6);
    s_st.associated = false;
    s_st.has_ip = false;
    host_log_line(ESP_LOG_INFO, TAG, "station " MACSTR " leave, AID = %u, reason = %u", MAC2STR(s_st.mac),
                  STATION_AID, reason);
    char text[48];
    snprintf(text, sizeof text, "AP_STADISCONNECTED(%u)", reason);
    host_wifi_post(WIFI_EVENT, WIFI_EVENT_AP_STADISCONNECTED, &event, sizeof event, text);
}

void host_wifi_ap_set_started(bool started)
{
    pthread_mutex_lock(&s_lock);
    if (!started) {
        station_leaves(WIFI_REASON_AUTH_LEAVE);  /* the AP leaves its BSS: its stations are deauthenticated */
    }
    s_st.started = started;
    pthread_mutex_unlock(&s_lock);
}

void host_wifi_ap_peer(bool present)
{
    pthread_mutex_lock(&s_lock);
    s_st.peer = present;
    if (!present) {
        station_leaves(WIFI_REASON_ASSOC_LEAVE);  /* the station left the BSS */
    }
    pthread_mutex_unlock(&s_lock);
}

static uint16_t ethertype(const uint8_t *frame)
{
    return (uint16_t)(frame[12] << 8 | frame[13]);
}

/* The station's own IPv4 address in this frame (network order), or 0: an ARP sender or IPv4 source. */
static uint32_t sender_address(const uint8_t *frame, size_t count)
{
    uint32_t ip = 0;
    if (ethertype(frame) == 0x0806 && count >= 14 + 28) {
        memcpy(&ip, frame + 14 + 14, 4);   /* ARP: sender protocol address */
    } else if (ethertype(frame) == 0x0800 && count >= 14 + 20) {
        memcpy(&ip, frame + 14 + 12, 4);   /* IPv4: source address */
    }
    return ip;
}

/* s_lock held: the frame's sender, if it is the station's first address in the AP's subnet. */
static void learn_address(const uint8_t *frame, size_t count, esp_netif_t *netif, const esp_netif_ip_info_t *ap)
{
    const uint32_t ip = sender_address(frame, count);
    const uint32_t mask = ap->netmask.addr;
    if (s_st.has_ip || ip == 0 || mask == 0 || (ip & mask) != (ap->ip.addr & mask) || ip == ap->ip.addr ||
        (ip | mask) == 0xFFFFFFFFu) {
        return;
    }
    s_st.has_ip = true;
    s_st.ip = ip;
    ip_event_ap_staipassigned_t event = { .esp_netif = netif, .ip = { ip } };
    memcpy(event.mac, s_st.mac, 6);
    host_log_line(ESP_LOG_INFO, TAG, "station " MACSTR " uses " IPSTR " (no DHCP server on the host: its "
                  "first frame from the AP's subnet)", MAC2STR(s_st.mac), IP2STR(&event.ip));
    char text[48];
    snprintf(text, sizeof text, "AP_STAIPASSIGNED " IPSTR, IP2STR(&event.ip));
    host_wifi_post(IP_EVENT, IP_EVENT_AP_STAIPASSIGNED, &event, sizeof event, text);
}

void host_wifi_ap_receive(const uint8_t *frame, size_t count)
{
    esp_netif_t *netif = host_wifi_netif(WIFI_IF_AP);
    esp_netif_ip_info_t ap = { 0 };
    wifi_config_t config = { 0 };
    if (netif != NULL) {
        esp_netif_get_ip_info(netif, &ap);   /* before s_lock: it takes the core lock */
    }
    const bool configured = esp_wifi_get_config(WIFI_IF_AP, &config) == ESP_OK;
    pthread_mutex_lock(&s_lock);
    const bool station = count >= 14 && (frame[6] & 0x01) == 0;   /* a unicast source: a station's MAC */
    if (netif == NULL || !s_st.started || !s_st.peer || !station) {
        s_st.rx_dropped++;
        pthread_mutex_unlock(&s_lock);
        return;
    }
    if (!s_st.associated) {
        if (configured && config.ap.max_connection == 0) {
            s_st.refused++;
            s_st.rx_dropped++;
            pthread_mutex_unlock(&s_lock);
            return;
        }
        s_st.associated = true;
        s_st.joins++;
        memcpy(s_st.mac, frame + 6, 6);
        wifi_event_ap_staconnected_t event = { .aid = STATION_AID, .is_mesh_child = false };
        memcpy(event.mac, s_st.mac, 6);
        host_log_line(ESP_LOG_INFO, TAG, "station " MACSTR " join, AID = %u", MAC2STR(s_st.mac), STATION_AID);
        host_wifi_post(WIFI_EVENT, WIFI_EVENT_AP_STACONNECTED, &event, sizeof event, "AP_STACONNECTED");
    }
    learn_address(frame, count, netif, &ap);
    uint8_t *buffer = malloc(count);
    if (buffer == NULL) {
        s_st.rx_dropped++;
        pthread_mutex_unlock(&s_lock);
        return;
    }
    memcpy(buffer, frame, count);
    s_st.rx_frames++;
    pthread_mutex_unlock(&s_lock);
    esp_netif_receive(netif, buffer, count, NULL);   /* the driver's free_rx_buffer frees it */
}

esp_err_t host_wifi_ap_transmit(const void *frame, size_t len)
{
    pthread_mutex_lock(&s_lock);
    if (!s_st.started || !s_st.associated || s_sink == NULL) {
        s_st.tx_dropped++;   /* nobody hears it: the AP is down, or no station is associated */
        pthread_mutex_unlock(&s_lock);
        return ESP_OK;
    }
    uint8_t *record = malloc(len + CUartTunnelWire_LENGTH_PREFIX);
    if (record == NULL) {
        pthread_mutex_unlock(&s_lock);
        return ESP_ERR_NO_MEM;
    }
    if (!CUartTunnelWire_putRecordHeader(len, record)) {
        free(record);
        s_st.tx_dropped++;
        pthread_mutex_unlock(&s_lock);
        return ESP_ERR_INVALID_ARG;   /* no record carries it */
    }
    memcpy(record + CUartTunnelWire_LENGTH_PREFIX, frame, len);
    s_sink(s_sink_context, record, len + CUartTunnelWire_LENGTH_PREFIX);   /* one piece: one record */
    s_st.tx_frames++;
    pthread_mutex_unlock(&s_lock);
    free(record);
    return ESP_OK;
}

void host_wifi_ap_station_list(wifi_sta_list_t *list)
{
    memset(list, 0, sizeof *list);
    pthread_mutex_lock(&s_lock);
    if (s_st.started && s_st.associated) {
        wifi_sta_info_t *sta = &list->sta[0];
        memcpy(sta->mac, s_st.mac, 6);
        sta->rssi = STATION_RSSI;
        sta->phy_11b = sta->phy_11g = sta->phy_11n = 1;
        list->num = 1;
    }
    pthread_mutex_unlock(&s_lock);
}

void host_wifi_softap_status(host_wifi_softap_status_t *out)
{
    pthread_mutex_lock(&s_lock);
    *out = s_st;
    pthread_mutex_unlock(&s_lock);
}
