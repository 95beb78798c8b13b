/* esp_interface.h on the host: the interface numbers esp_wifi's wifi_interface_t is built on (ESP-IDF v5.4,
 * esp_hw_support). */
#ifndef ESP_IDF_HOST_ESP_INTERFACE_H
#define ESP_IDF_HOST_ESP_INTERFACE_H

typedef enum {
    ESP_IF_WIFI_STA = 0,
    ESP_IF_WIFI_AP,
    ESP_IF_WIFI_NAN,
    ESP_IF_ETH,
    ESP_IF_MAX
} esp_interface_t;

#endif
