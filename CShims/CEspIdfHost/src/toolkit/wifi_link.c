/*
 * The Wi-Fi side of the toolkit: the scripted radio filled from Swift (scenario file and
 * run-time commands), the link handed to the station while a Wi-Fi station exists, and
 * the radio's state for /api/status; the soft-AP's second link (`--ap-listen`).
 */
#include "probes/probes.h"

#include <stdio.h>
#include <string.h>

#include "CEspIdfHost.h"
#include "wifi/wifi.h"

int CEspIdfHost_radioPutAP(const CEspIdfHost_RadioAP *ap)
{
    host_radio_ap_t entry = { .auth = (wifi_auth_mode_t)ap->auth, .channel = (uint8_t)ap->channel,
                              .rssi = (int8_t)ap->rssi, .present = ap->present != 0 };
    snprintf(entry.ssid, sizeof entry.ssid, "%s", ap->ssid);
    snprintf(entry.password, sizeof entry.password, "%s", ap->password != NULL ? ap->password : "");
    memcpy(entry.bssid, ap->bssid, 6);
    return host_radio_put_ap(&entry) ? 1 : 0;
}

void CEspIdfHost_radioSetLease(uint32_t ip, uint32_t netmask, uint32_t gateway)
{
    esp_netif_ip_info_t lease = { .ip = { ip }, .netmask = { netmask }, .gw = { gateway } };
    host_radio_set_lease(&lease);
}

void CEspIdfHost_radioTiming(CEspIdfHost_RadioTiming *out)
{
    const host_radio_timing_t t = host_radio_timing();
    *out = (CEspIdfHost_RadioTiming){ t.scan_channel_ms, t.connect_ms, t.auth_fail_ms, t.handshake_timeout_ms,
                                      t.dhcp_ms, t.beacon_timeout_ms };
}

void CEspIdfHost_radioSetTiming(const CEspIdfHost_RadioTiming *in)
{
    const host_radio_timing_t t = { in->scanChannelMs, in->connectMs, in->authFailMs, in->handshakeTimeoutMs,
                                    in->dhcpMs, in->beaconTimeoutMs };
    host_radio_set_timing(&t);
}

int CEspIdfHost_radioChange(int kind, const char *ssid, int value, const char *text, int64_t at_ms)
{
    host_radio_change_t change = { .kind = (host_radio_change_kind_t)kind, .value = value };
    snprintf(change.ssid, sizeof change.ssid, "%s", ssid);
    snprintf(change.text, sizeof change.text, "%s", text != NULL ? text : "");
    return (at_ms < 0 ? host_radio_apply(&change) : host_radio_schedule((uint64_t)at_ms, &change)) ? 1 : 0;
}

/* The link is the station's radio while a Wi-Fi station exists and the link UART has no driver (a firmware
 * with both keeps the tunnel on its UART). */
int CEspIdfHost_wifiOwnsLink(void)
{
    return host_wifi_sta_attached() && !host_uart_link_installed();
}

void CEspIdfHost_wifiLinkReceive(const uint8_t *frame, size_t count)
{
    host_wifi_sta_receive(frame, count);
}

void CEspIdfHost_wifiStatus(CEspIdfHost_WifiStatus *out)
{
    host_wifi_status_t st;
    host_wifi_status(&st);
    memset(out, 0, sizeof *out);
    out->initialised = st.initialised;
    out->started = st.started;
    out->mode = st.mode;
    out->state = st.sta_state;
    snprintf(out->ssid, sizeof out->ssid, "%s", st.ssid);
    out->rssi = st.rssi;
    out->channel = st.channel;
    out->lastReason = st.last_reason;
    out->apStarted = st.ap_started;
    out->rxFrames = st.rx_frames;
    out->txFrames = st.tx_frames;
    out->rxDropped = st.rx_dropped;
    out->txDropped = st.tx_dropped;
    out->events = st.events;
    snprintf(out->recent, sizeof out->recent, "%s", st.recent);
    host_wifi_softap_status_t ap;
    host_wifi_softap_status(&ap);
    out->apPeer = ap.peer;
    out->apAssociated = ap.associated;
    out->apHasIp = ap.has_ip;
    memcpy(out->apStationMac, ap.mac, 6);
    out->apStationIp = ap.ip;
    out->apJoins = ap.joins;
    out->apRefused = ap.refused;
    out->apRxFrames = ap.rx_frames;
    out->apTxFrames = ap.tx_frames;
    out->apRxDropped = ap.rx_dropped;
    out->apTxDropped = ap.tx_dropped;
}

/* The soft-AP's link (`--ap-listen`): records from the AP netif go straight to the Swift callback (no UART, so no
 * TX record probe: the host's own Wi-Fi driver writes them). */
void CEspIdfHost_setApTxCallback(CEspIdfHost_TxCallback callback, void *context)
{
    host_wifi_set_ap_sink(callback, context);
}

void CEspIdfHost_wifiApPeer(int present)
{
    host_wifi_ap_peer(present != 0);
}

void CEspIdfHost_wifiApReceive(const uint8_t *frame, size_t count)
{
    host_wifi_ap_receive(frame, count);
}
