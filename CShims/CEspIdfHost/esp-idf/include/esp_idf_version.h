/*
 * esp_idf_version.h on the host.  The host layer follows the ESP-IDF v5.1 API
 * (uart_read_bytes with void *, esp_netif_receive with eb, …), so code that
 * checks ESP_IDF_VERSION takes its v5 branches.
 */
#ifndef ESP_IDF_HOST_ESP_IDF_VERSION_H
#define ESP_IDF_HOST_ESP_IDF_VERSION_H

#define ESP_IDF_VERSION_MAJOR 5
#define ESP_IDF_VERSION_MINOR 1
#define ESP_IDF_VERSION_PATCH 0

#define ESP_IDF_VERSION_VAL(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define ESP_IDF_VERSION \
    ESP_IDF_VERSION_VAL(ESP_IDF_VERSION_MAJOR, ESP_IDF_VERSION_MINOR, ESP_IDF_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/** "v5.1.0-uart-tunnel-host". */
const char *esp_get_idf_version(void);

#ifdef __cplusplus
}
#endif

#endif
