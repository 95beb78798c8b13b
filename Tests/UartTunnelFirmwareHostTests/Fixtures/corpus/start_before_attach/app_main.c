/*
 * A port of the tapif_io-style bring-up with one slip that ESP-IDF does not forgive:
 * the netif is started before the driver is attached.  ESP_NETIF_DEFAULT_ETH() has no
 * driver config, and uart_io only fills one in from its post_attach hook, so at
 * esp_netif_action_start() the netif has no transmit function and no driver handle.
 * ESP-IDF v5.4's esp_netif_start_api() runs esp_netif_config_sanity_check() inside
 * ESP_ERROR_CHECK: the chip logs the missing configuration and aborts.
 *
 * Built with ../tapif_io_style/uart_io.c.
 */
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "uart_io.h"

static const char *TAG = "start_before_attach";

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());

    esp_netif_config_t cfg = ESP_NETIF_DEFAULT_ETH();
    esp_netif_t *netif = esp_netif_new(&cfg);
    assert(netif != NULL);
    void *io = uart_io_create();
    assert(io != NULL);

    ESP_LOGI(TAG, "starting the netif before attaching the driver");
    esp_netif_action_start(netif, NULL, 0, NULL);
    ESP_LOGI(TAG, "netif started");  /* not reached on ESP-IDF v5.4 */

    ESP_ERROR_CHECK(esp_netif_attach(netif, io));
    esp_netif_action_connected(netif, NULL, 0, NULL);
    ESP_LOGI(TAG, "up");
}
