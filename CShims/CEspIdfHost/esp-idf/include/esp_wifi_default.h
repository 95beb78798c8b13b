/* esp_wifi_default.h on the host: ESP-IDF v5.4's default Wi-Fi netifs and their event handlers (host:
 * src/wifi/wifi_default.c). */
#ifndef ESP_IDF_HOST_ESP_WIFI_DEFAULT_H
#define ESP_IDF_HOST_ESP_WIFI_DEFAULT_H

#include "esp_netif.h"
#include "esp_wifi_types.h"

#ifdef __cplusplus
extern "C" {
#endif

esp_err_t esp_netif_attach_wifi_station(esp_netif_t *esp_netif);
esp_err_t esp_netif_attach_wifi_ap(esp_netif_t *esp_netif);
esp_err_t esp_wifi_set_default_wifi_sta_handlers(void);
esp_err_t esp_wifi_set_default_wifi_ap_handlers(void);
esp_err_t esp_wifi_clear_default_wifi_driver_and_handlers(void *esp_netif);
esp_netif_t *esp_netif_create_default_wifi_ap(void);
esp_netif_t *esp_netif_create_default_wifi_sta(void);
void esp_netif_destroy_default_wifi(void *esp_netif);
esp_netif_t *esp_netif_create_wifi(wifi_interface_t wifi_if, const esp_netif_inherent_config_t *esp_netif_config);
esp_err_t esp_netif_create_default_wifi_mesh_netifs(esp_netif_t **p_netif_sta, esp_netif_t **p_netif_ap);

#ifdef __cplusplus
}
#endif

#endif
