/* esp_wifi_types.h on the host: the generic Wi-Fi types plus the ESP32's own (its soft-AP takes 15 stations). */
#ifndef ESP_IDF_HOST_ESP_WIFI_TYPES_H
#define ESP_IDF_HOST_ESP_WIFI_TYPES_H

#include "esp_wifi_types_generic.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_WIFI_MAX_CONN_NUM (15)

typedef struct wifi_sta_list_t {
    wifi_sta_info_t sta[ESP_WIFI_MAX_CONN_NUM];
    int num;
} wifi_sta_list_t;

#ifdef __cplusplus
}
#endif

#endif
