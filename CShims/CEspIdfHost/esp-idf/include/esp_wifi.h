/*
 * esp_wifi.h on the host: ESP-IDF v5.4's station and soft-AP API, run against the scripted radio
 * (`uart-tunnel device --radio FILE`, host: src/wifi/).  Error codes, WIFI_INIT_CONFIG_DEFAULT and the
 * functions keep v5.4's names and values; what the radio does is described in src/wifi/wifi.h.
 */
#ifndef ESP_IDF_HOST_ESP_WIFI_H
#define ESP_IDF_HOST_ESP_WIFI_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_event.h"
#include "esp_wifi_crypto_types.h"
#include "esp_wifi_default.h"
#include "esp_wifi_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ERR_WIFI_NOT_INIT (ESP_ERR_WIFI_BASE + 1)
#define ESP_ERR_WIFI_NOT_STARTED (ESP_ERR_WIFI_BASE + 2)
#define ESP_ERR_WIFI_NOT_STOPPED (ESP_ERR_WIFI_BASE + 3)
#define ESP_ERR_WIFI_IF (ESP_ERR_WIFI_BASE + 4)
#define ESP_ERR_WIFI_MODE (ESP_ERR_WIFI_BASE + 5)
#define ESP_ERR_WIFI_STATE (ESP_ERR_WIFI_BASE + 6)
#define ESP_ERR_WIFI_CONN (ESP_ERR_WIFI_BASE + 7)
#define ESP_ERR_WIFI_NVS (ESP_ERR_WIFI_BASE + 8)
#define ESP_ERR_WIFI_MAC (ESP_ERR_WIFI_BASE + 9)
#define ESP_ERR_WIFI_SSID (ESP_ERR_WIFI_BASE + 10)
#define ESP_ERR_WIFI_PASSWORD (ESP_ERR_WIFI_BASE + 11)
#define ESP_ERR_WIFI_TIMEOUT (ESP_ERR_WIFI_BASE + 12)
#define ESP_ERR_WIFI_WAKE_FAIL (ESP_ERR_WIFI_BASE + 13)
#define ESP_ERR_WIFI_WOULD_BLOCK (ESP_ERR_WIFI_BASE + 14)
#define ESP_ERR_WIFI_NOT_CONNECT (ESP_ERR_WIFI_BASE + 15)
#define ESP_ERR_WIFI_POST (ESP_ERR_WIFI_BASE + 18)
#define ESP_ERR_WIFI_INIT_STATE (ESP_ERR_WIFI_BASE + 19)
#define ESP_ERR_WIFI_STOP_STATE (ESP_ERR_WIFI_BASE + 20)
#define ESP_ERR_WIFI_NOT_ASSOC (ESP_ERR_WIFI_BASE + 21)
#define ESP_ERR_WIFI_TX_DISALLOW (ESP_ERR_WIFI_BASE + 22)
#define ESP_ERR_WIFI_DISCARD (ESP_ERR_WIFI_BASE + 27)

typedef struct wifi_osi_funcs_t wifi_osi_funcs_t;

/* v5.4's field names; the host reads only magic and nvs_enable (the buffers are the host's). */
typedef struct {
    wifi_osi_funcs_t *osi_funcs;
    wpa_crypto_funcs_t wpa_crypto_funcs;
    int static_rx_buf_num;
    int dynamic_rx_buf_num;
    int tx_buf_type;
    int static_tx_buf_num;
    int dynamic_tx_buf_num;
    int rx_mgmt_buf_type;
    int rx_mgmt_buf_num;
    int cache_tx_buf_num;
    int csi_enable;
    int ampdu_rx_enable;
    int ampdu_tx_enable;
    int amsdu_tx_enable;
    int nvs_enable;
    int nano_enable;
    int rx_ba_win;
    int wifi_task_core_id;
    int beacon_max_len;
    int mgmt_sbuf_num;
    uint64_t feature_caps;
    bool sta_disconnected_pm;
    int espnow_max_encrypt_num;
    int tx_hetb_queue_num;
    bool dump_hesigb_enable;
    int magic;
} wifi_init_config_t;

extern const wpa_crypto_funcs_t g_wifi_default_wpa_crypto_funcs;
extern wifi_osi_funcs_t g_wifi_osi_funcs;

#define WIFI_INIT_CONFIG_MAGIC 0x1F2F3F4F

/* The menuconfig defaults of ESP-IDF v5.4's esp_wifi Kconfig. */
#define WIFI_INIT_CONFIG_DEFAULT() { \
    .osi_funcs = &g_wifi_osi_funcs, \
    .wpa_crypto_funcs = g_wifi_default_wpa_crypto_funcs, \
    .static_rx_buf_num = 10, \
    .dynamic_rx_buf_num = 32, \
    .tx_buf_type = 1, \
    .static_tx_buf_num = 0, \
    .dynamic_tx_buf_num = 32, \
    .rx_mgmt_buf_type = 0, \
    .rx_mgmt_buf_num = 5, \
    .cache_tx_buf_num = 0, \
    .csi_enable = 0, \
    .ampdu_rx_enable = 1, \
    .ampdu_tx_enable = 1, \
    .amsdu_tx_enable = 0, \
    .nvs_enable = 1, \
    .nano_enable = 0, \
    .rx_ba_win = 6, \
    .wifi_task_core_id = 0, \
    .beacon_max_len = 752, \
    .mgmt_sbuf_num = 32, \
    .feature_caps = 1, \
    .sta_disconnected_pm = false, \
    .espnow_max_encrypt_num = 7, \
    .tx_hetb_queue_num = 1, \
    .dump_hesigb_enable = false, \
    .magic = WIFI_INIT_CONFIG_MAGIC \
}

esp_err_t esp_wifi_init(const wifi_init_config_t *config);
esp_err_t esp_wifi_deinit(void);
esp_err_t esp_wifi_set_mode(wifi_mode_t mode);
esp_err_t esp_wifi_get_mode(wifi_mode_t *mode);
esp_err_t esp_wifi_start(void);
esp_err_t esp_wifi_stop(void);
esp_err_t esp_wifi_restore(void);
esp_err_t esp_wifi_connect(void);
esp_err_t esp_wifi_disconnect(void);
esp_err_t esp_wifi_deauth_sta(uint16_t aid);
esp_err_t esp_wifi_scan_start(const wifi_scan_config_t *config, bool block);
esp_err_t esp_wifi_scan_stop(void);
esp_err_t esp_wifi_scan_get_ap_num(uint16_t *number);
esp_err_t esp_wifi_scan_get_ap_records(uint16_t *number, wifi_ap_record_t *ap_records);
esp_err_t esp_wifi_scan_get_ap_record(wifi_ap_record_t *ap_record);
esp_err_t esp_wifi_clear_ap_list(void);
esp_err_t esp_wifi_sta_get_ap_info(wifi_ap_record_t *ap_info);
esp_err_t esp_wifi_sta_get_rssi(int *rssi);
esp_err_t esp_wifi_sta_get_aid(uint16_t *aid);
esp_err_t esp_wifi_set_ps(wifi_ps_type_t type);
esp_err_t esp_wifi_get_ps(wifi_ps_type_t *type);
esp_err_t esp_wifi_set_protocol(wifi_interface_t ifx, uint8_t protocol_bitmap);
esp_err_t esp_wifi_get_protocol(wifi_interface_t ifx, uint8_t *protocol_bitmap);
esp_err_t esp_wifi_set_bandwidth(wifi_interface_t ifx, wifi_bandwidth_t bw);
esp_err_t esp_wifi_get_bandwidth(wifi_interface_t ifx, wifi_bandwidth_t *bw);
esp_err_t esp_wifi_set_country(const wifi_country_t *country);
esp_err_t esp_wifi_get_country(wifi_country_t *country);
esp_err_t esp_wifi_set_mac(wifi_interface_t ifx, const uint8_t mac[6]);
esp_err_t esp_wifi_get_mac(wifi_interface_t ifx, uint8_t mac[6]);
esp_err_t esp_wifi_ap_get_sta_list(wifi_sta_list_t *sta);
esp_err_t esp_wifi_set_storage(wifi_storage_t storage);
esp_err_t esp_wifi_set_config(wifi_interface_t interface, wifi_config_t *conf);
esp_err_t esp_wifi_get_config(wifi_interface_t interface, wifi_config_t *conf);
esp_err_t esp_wifi_set_max_tx_power(int8_t power);
esp_err_t esp_wifi_get_max_tx_power(int8_t *power);
esp_err_t esp_wifi_set_inactive_time(wifi_interface_t ifx, uint16_t sec);
esp_err_t esp_wifi_get_inactive_time(wifi_interface_t ifx, uint16_t *sec);

#ifdef __cplusplus
}
#endif

#endif
