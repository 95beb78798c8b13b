/*
 * Starts an esp_netif that no driver was attached to.  ESP-IDF v5.4's esp_netif_start_api
 * runs ESP_ERROR_CHECK(esp_netif_config_sanity_check()): no driver transmit/handle, so the
 * chip aborts here.
 */
#include "esp_log.h"
#include "esp_netif.h"

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    esp_netif_config_t config = ESP_NETIF_DEFAULT_ETH();
    esp_netif_t *netif = esp_netif_new(&config);
    ESP_LOGI("crash", "starting an esp_netif without a driver");
    esp_netif_action_start(netif, NULL, 0, NULL);
    ESP_LOGI("crash", "still running after esp_netif_action_start");
}
