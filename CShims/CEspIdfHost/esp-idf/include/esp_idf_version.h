/*
 * esp_idf_version.h on the host: the host layer emulates ESP-IDF v5.4
 * (components/esp_common/include/esp_idf_version.h at tag v5.4), so code gated on
 * ESP_IDF_VERSION takes its v5.4 branches.
 */
#ifndef ESP_IDF_HOST_ESP_IDF_VERSION_H
#define ESP_IDF_HOST_ESP_IDF_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_IDF_VERSION_MAJOR 5
#define ESP_IDF_VERSION_MINOR 4
#define ESP_IDF_VERSION_PATCH 0

/* Unparenthesised arguments as in ESP-IDF, so it stays usable in #if with the same results. */
#define ESP_IDF_VERSION_VAL(major, minor, patch) ((major << 16) | (minor << 8) | (patch))
#define ESP_IDF_VERSION \
    ESP_IDF_VERSION_VAL(ESP_IDF_VERSION_MAJOR, ESP_IDF_VERSION_MINOR, ESP_IDF_VERSION_PATCH)

#ifndef __ASSEMBLER__
/** "v5.4-uart-tunnel-host": IDF_VER of a v5.4 build, marked as the host layer. */
const char *esp_get_idf_version(void);
#endif

#ifdef __cplusplus
}
#endif

#endif
