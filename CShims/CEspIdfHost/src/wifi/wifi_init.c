/*
 * esp_wifi's configuration calls (ESP-IDF v5.4 esp_wifi.h): init/deinit, mode, config,
 * storage, start/stop, power save, protocol, bandwidth, country, MAC, TX power.  The
 * return codes are the ones esp_wifi.h documents for each call.  With WIFI_STORAGE_FLASH
 * (the default) and wifi_init_config_t.nvs_enable, the mode and the station and soft-AP
 * configuration are also kept in NVS (wifi_storage.c) and esp_wifi_init starts from them.
 */
#include "wifi/wifi.h"

#include <string.h>

#include "esp_mac.h"

const wpa_crypto_funcs_t g_wifi_default_wpa_crypto_funcs = { .size = sizeof(wpa_crypto_funcs_t), .version = 1 };
struct wifi_osi_funcs_t {
    int version;
};
wifi_osi_funcs_t g_wifi_osi_funcs = { .version = 1 };

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static bool s_init, s_started;
static wifi_mode_t s_mode = WIFI_MODE_NULL;
static wifi_sta_config_t s_sta;
static wifi_ap_config_t s_ap;
static wifi_ps_type_t s_ps = WIFI_PS_MIN_MODEM;  /* v5.4's default power save for a station */
static uint8_t s_protocol[2] = { WIFI_PROTOCOL_11B | WIFI_PROTOCOL_11G | WIFI_PROTOCOL_11N,
                                 WIFI_PROTOCOL_11B | WIFI_PROTOCOL_11G | WIFI_PROTOCOL_11N };
static wifi_bandwidth_t s_bandwidth[2] = { WIFI_BW_HT40, WIFI_BW_HT40 };
static wifi_country_t s_country = { .cc = "01", .schan = 1, .nchan = 11, .policy = WIFI_COUNTRY_POLICY_AUTO };
static uint8_t s_mac[2][6];
static bool s_mac_set[2];
static int8_t s_max_tx_power = 80;  /* 20 dBm in 0.25 dBm units */
static bool s_nvs_enable;           /* wifi_init_config_t.nvs_enable (CONFIG_ESP_WIFI_NVS_ENABLED, default y) */
static wifi_storage_t s_storage = WIFI_STORAGE_FLASH;

/* s_lock held: are API settings to be written to NVS? */
static bool storing(void)
{
    return s_nvs_enable && s_storage == WIFI_STORAGE_FLASH;
}

/* s_lock held: the checks of the calls esp_wifi.h documents as needing a started Wi-Fi. */
static esp_err_t started_err(void)
{
    return !s_init ? ESP_ERR_WIFI_NOT_INIT : !s_started ? ESP_ERR_WIFI_NOT_STARTED : ESP_OK;
}

/* The soft-AP's defaults as v5.4 reports them before set_config: SSID "ESP_" + the last three MAC bytes, open. */
static void ap_defaults(void)
{
    uint8_t mac[6] = { 0 };
    esp_read_mac(mac, ESP_MAC_WIFI_SOFTAP);
    memset(&s_ap, 0, sizeof s_ap);
    s_ap.ssid_len = (uint8_t)snprintf((char *)s_ap.ssid, sizeof s_ap.ssid, "ESP_%02X%02X%02X", mac[3], mac[4], mac[5]);
    s_ap.channel = 1;
    s_ap.authmode = WIFI_AUTH_OPEN;
    s_ap.max_connection = 10;
    s_ap.beacon_interval = 100;
    s_ap.dtim_period = 1;
}

esp_err_t esp_wifi_init(const wifi_init_config_t *config)
{
    if (config == NULL || config->magic != WIFI_INIT_CONFIG_MAGIC) {
        return ESP_ERR_INVALID_ARG;  /* not made by WIFI_INIT_CONFIG_DEFAULT() */
    }
    /* With NVS flash on, v5.4's esp_wifi_init opens its namespace first and fails with the NVS error when
     * nvs_flash_init has not run (ESP_ERR_NVS_NOT_INITIALIZED, "wifi nvs_open fail" on the chip's log). */
    host_wifi_stored_t stored = { 0 };
    if (config->nvs_enable) {
        const esp_err_t err = host_wifi_storage_load(&stored);
        if (err != ESP_OK) {
            host_log_line(ESP_LOG_WARN, "wifi", "Wi-Fi NVS open failed: %s (call nvs_flash_init first)",
                          esp_err_to_name(err));
            return err;
        }
    }
    pthread_mutex_lock(&s_lock);
    const bool first = !s_init;
    if (first) {
        s_init = true;
        s_nvs_enable = config->nvs_enable != 0;
        s_storage = WIFI_STORAGE_FLASH;
        memset(&s_sta, 0, sizeof s_sta);
        ap_defaults();
        if (stored.has_sta) {
            s_sta = stored.sta;
        }
        if (stored.has_ap) {
            s_ap = stored.ap;
        }
        if (stored.has_mode) {
            s_mode = stored.mode;
        }
    }
    const wifi_mode_t mode = s_mode;
    pthread_mutex_unlock(&s_lock);
    if (first) {
        host_wifi_core_init();
        host_wifi_core_set_mode(mode);
        host_radio_run_due(host_now_ms());  /* the scenario's changes already due hold before the first call */
        host_log_line(ESP_LOG_INFO, "wifi", "wifi driver task: scripted radio (host), config NVS flash: %s%s",
                      config->nvs_enable ? "enabled" : "disabled",
                      stored.has_sta || stored.has_ap || stored.has_mode ? ", stored configuration loaded" : "");
    }
    return ESP_OK;
}

esp_err_t esp_wifi_deinit(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : s_started ? ESP_ERR_WIFI_NOT_STOPPED : ESP_OK;
    if (err == ESP_OK) {
        s_init = false;
        s_mode = WIFI_MODE_NULL;
    }
    pthread_mutex_unlock(&s_lock);
    if (err == ESP_OK) {
        host_wifi_core_deinit();
    }
    return err;
}

esp_err_t esp_wifi_set_mode(wifi_mode_t mode)
{
    if (mode < WIFI_MODE_NULL || mode > WIFI_MODE_APSTA) {
        return ESP_ERR_INVALID_ARG;  /* NAN has no host radio */
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    const bool restart = err == ESP_OK && s_started && s_mode != mode;
    const bool store = err == ESP_OK && storing();
    if (err == ESP_OK) {
        s_mode = mode;
    }
    pthread_mutex_unlock(&s_lock);
    if (store && host_wifi_storage_save_mode(mode) != ESP_OK) {
        err = ESP_ERR_WIFI_NVS;
    }
    if (restart) {  /* interfaces of the old mode stop, those of the new one start */
        host_wifi_core_stop();
        host_wifi_core_start(mode);
    } else if (err == ESP_OK) {
        host_wifi_core_set_mode(mode);
    }
    return err;
}

esp_err_t esp_wifi_get_mode(wifi_mode_t *mode)
{
    if (mode == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        *mode = s_mode;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

static bool mode_has(wifi_mode_t mode, wifi_interface_t ifx)
{
    return ifx == WIFI_IF_STA ? (mode == WIFI_MODE_STA || mode == WIFI_MODE_APSTA)
                              : ifx == WIFI_IF_AP && (mode == WIFI_MODE_AP || mode == WIFI_MODE_APSTA);
}

esp_err_t esp_wifi_set_config(wifi_interface_t interface, wifi_config_t *conf)
{
    if (conf == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (interface != WIFI_IF_STA && interface != WIFI_IF_AP) {
        return ESP_ERR_WIFI_IF;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : !mode_has(s_mode, interface) ? ESP_ERR_WIFI_MODE : ESP_OK;
    if (err == ESP_OK && interface == WIFI_IF_AP) {
        const size_t pw = strnlen((const char *)conf->ap.password, sizeof conf->ap.password);
        if (conf->ap.authmode != WIFI_AUTH_OPEN && pw < 8) {
            err = ESP_ERR_WIFI_PASSWORD;  /* WPA needs 8..63 characters */
        } else {
            s_ap = conf->ap;
        }
    } else if (err == ESP_OK) {
        s_sta = conf->sta;
    }
    const bool store = err == ESP_OK && storing();
    pthread_mutex_unlock(&s_lock);
    if (store && host_wifi_storage_save_config(interface, conf) != ESP_OK) {
        return ESP_ERR_WIFI_NVS;  /* "WiFi internal NVS error" (esp_wifi.h) */
    }
    return err;
}

esp_err_t esp_wifi_get_config(wifi_interface_t interface, wifi_config_t *conf)
{
    if (conf == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (interface != WIFI_IF_STA && interface != WIFI_IF_AP) {
        return ESP_ERR_WIFI_IF;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK && interface == WIFI_IF_AP) {
        conf->ap = s_ap;
    } else if (err == ESP_OK) {
        conf->sta = s_sta;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

bool host_wifi_sta_config(wifi_sta_config_t *out)
{
    pthread_mutex_lock(&s_lock);
    *out = s_sta;
    const bool init = s_init;
    pthread_mutex_unlock(&s_lock);
    return init;
}

esp_err_t esp_wifi_set_storage(wifi_storage_t storage)
{
    if (storage != WIFI_STORAGE_FLASH && storage != WIFI_STORAGE_RAM) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        s_storage = storage;  /* RAM: later settings stay in memory; what flash holds stays as it was */
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* esp_wifi.h: back to the defaults for what set_config, set_mode, set_protocol and set_bandwidth changed, in
 * memory and in flash (the stored copy is erased). */
esp_err_t esp_wifi_restore(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    const bool erase = err == ESP_OK && s_nvs_enable;
    if (err == ESP_OK) {
        memset(&s_sta, 0, sizeof s_sta);
        ap_defaults();
        s_ps = WIFI_PS_MIN_MODEM;
        for (int i = 0; i < 2; i++) {
            s_protocol[i] = WIFI_PROTOCOL_11B | WIFI_PROTOCOL_11G | WIFI_PROTOCOL_11N;
            s_bandwidth[i] = WIFI_BW_HT40;
        }
    }
    pthread_mutex_unlock(&s_lock);
    if (erase && host_wifi_storage_erase() != ESP_OK) {
        err = ESP_ERR_WIFI_NVS;
    }
    return err;
}

esp_err_t esp_wifi_start(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    const bool start = err == ESP_OK && !s_started && s_mode != WIFI_MODE_NULL;
    if (start) {
        s_started = true;
    }
    const wifi_mode_t mode = s_mode;
    pthread_mutex_unlock(&s_lock);
    if (start) {
        host_wifi_core_start(mode);
    }
    return err;
}

esp_err_t esp_wifi_stop(void)
{
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    const bool stop = err == ESP_OK && s_started;
    s_started = false;
    pthread_mutex_unlock(&s_lock);
    if (stop) {
        host_wifi_core_stop();
    }
    return err;
}

esp_err_t esp_wifi_set_ps(wifi_ps_type_t type)
{
    if (type < WIFI_PS_NONE || type > WIFI_PS_MAX_MODEM) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        s_ps = type;  /* the radio has no sleep: it only reports the setting */
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_get_ps(wifi_ps_type_t *type)
{
    if (type == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        *type = s_ps;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

static esp_err_t per_if(wifi_interface_t ifx, void (*body)(int index, void *arg), void *arg)
{
    if (ifx != WIFI_IF_STA && ifx != WIFI_IF_AP) {
        return ESP_ERR_WIFI_IF;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        body(ifx == WIFI_IF_STA ? 0 : 1, arg);
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

static void set_protocol(int i, void *arg) { s_protocol[i] = *(uint8_t *)arg; }
static void get_protocol(int i, void *arg) { *(uint8_t *)arg = s_protocol[i]; }
static void set_bandwidth(int i, void *arg) { s_bandwidth[i] = *(wifi_bandwidth_t *)arg; }
static void get_bandwidth(int i, void *arg) { *(wifi_bandwidth_t *)arg = s_bandwidth[i]; }

esp_err_t esp_wifi_set_protocol(wifi_interface_t ifx, uint8_t protocol_bitmap)
{
    return per_if(ifx, set_protocol, &protocol_bitmap);
}

esp_err_t esp_wifi_get_protocol(wifi_interface_t ifx, uint8_t *protocol_bitmap)
{
    return protocol_bitmap == NULL ? ESP_ERR_INVALID_ARG : per_if(ifx, get_protocol, protocol_bitmap);
}

esp_err_t esp_wifi_set_bandwidth(wifi_interface_t ifx, wifi_bandwidth_t bw)
{
    return bw != WIFI_BW_HT20 && bw != WIFI_BW_HT40 ? ESP_ERR_INVALID_ARG : per_if(ifx, set_bandwidth, &bw);
}

esp_err_t esp_wifi_get_bandwidth(wifi_interface_t ifx, wifi_bandwidth_t *bw)
{
    return bw == NULL ? ESP_ERR_INVALID_ARG : per_if(ifx, get_bandwidth, bw);
}

esp_err_t esp_wifi_set_country(const wifi_country_t *country)
{
    if (country == NULL || country->schan < 1 || country->nchan < 1 || country->schan + country->nchan - 1 > 14) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        s_country = *country;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_get_country(wifi_country_t *country)
{
    if (country == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        *country = s_country;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* esp_wifi_set_mac: a multicast address (bit 0 of the first byte) is ESP_ERR_WIFI_MAC. */
esp_err_t esp_wifi_set_mac(wifi_interface_t ifx, const uint8_t mac[6])
{
    if (mac == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (ifx != WIFI_IF_STA && ifx != WIFI_IF_AP) {
        return ESP_ERR_WIFI_IF;
    }
    if (mac[0] & 0x01) {
        return ESP_ERR_WIFI_MAC;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    if (err == ESP_OK) {
        memcpy(s_mac[ifx == WIFI_IF_STA ? 0 : 1], mac, 6);
        s_mac_set[ifx == WIFI_IF_STA ? 0 : 1] = true;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* Without set_mac, the interface's MAC derived from the base MAC (esp_read_mac, system/mac.c). */
esp_err_t esp_wifi_get_mac(wifi_interface_t ifx, uint8_t mac[6])
{
    if (mac == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (ifx != WIFI_IF_STA && ifx != WIFI_IF_AP) {
        return ESP_ERR_WIFI_IF;
    }
    const int i = ifx == WIFI_IF_STA ? 0 : 1;
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : ESP_OK;
    const bool set = s_mac_set[i];
    if (err == ESP_OK && set) {
        memcpy(mac, s_mac[i], 6);
    }
    pthread_mutex_unlock(&s_lock);
    if (err == ESP_OK && !set) {
        err = esp_read_mac(mac, i == 0 ? ESP_MAC_WIFI_STA : ESP_MAC_WIFI_SOFTAP);
    }
    return err;
}

esp_err_t esp_wifi_set_max_tx_power(int8_t power)
{
    if (power < 8 || power > 84) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK) {
        s_max_tx_power = power;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

esp_err_t esp_wifi_get_max_tx_power(int8_t *power)
{
    if (power == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK) {
        *power = s_max_tx_power;
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* The soft-AP's stations: the second link's peer once associated (wifi_softap.c). */
esp_err_t esp_wifi_ap_get_sta_list(wifi_sta_list_t *sta)
{
    if (sta == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : !mode_has(s_mode, WIFI_IF_AP) ? ESP_ERR_WIFI_MODE : ESP_OK;
    pthread_mutex_unlock(&s_lock);
    if (err == ESP_OK) {
        host_wifi_ap_station_list(sta);
    }
    return err;
}

esp_err_t esp_wifi_deauth_sta(uint16_t aid)
{
    (void)aid;
    pthread_mutex_lock(&s_lock);
    esp_err_t err = !s_init ? ESP_ERR_WIFI_NOT_INIT : !mode_has(s_mode, WIFI_IF_AP) ? ESP_ERR_WIFI_MODE : ESP_OK;
    pthread_mutex_unlock(&s_lock);
    return err;
}

/* esp_wifi_set_inactive_time: the station's beacon timeout (the scripted radio's, at least 3 s) or the soft-AP's
 * idle-station time (at least 10 s, kept only: the host's soft-AP station leaves with its link, not by idling).  Needs a started Wi-Fi. */
static uint16_t s_ap_inactive_s = 300;

esp_err_t esp_wifi_set_inactive_time(wifi_interface_t ifx, uint16_t sec)
{
    if (ifx != WIFI_IF_STA && ifx != WIFI_IF_AP) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK && sec < (ifx == WIFI_IF_STA ? 3 : 10)) {
        err = ESP_ERR_INVALID_ARG;
    }
    if (err == ESP_OK && ifx == WIFI_IF_AP) {
        s_ap_inactive_s = sec;
    }
    pthread_mutex_unlock(&s_lock);
    if (err == ESP_OK && ifx == WIFI_IF_STA) {
        host_radio_timing_t timing = host_radio_timing();
        timing.beacon_timeout_ms = (uint32_t)sec * 1000;
        host_radio_set_timing(&timing);
    }
    return err;
}

esp_err_t esp_wifi_get_inactive_time(wifi_interface_t ifx, uint16_t *sec)
{
    if (sec == NULL || (ifx != WIFI_IF_STA && ifx != WIFI_IF_AP)) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    esp_err_t err = started_err();
    if (err == ESP_OK) {
        *sec = ifx == WIFI_IF_AP ? s_ap_inactive_s : (uint16_t)(host_radio_timing().beacon_timeout_ms / 1000);
    }
    pthread_mutex_unlock(&s_lock);
    return err;
}
