/*
 * Network initialisation for the simulated (QEMU) network: where a Wi-Fi
 * build would start the Wi-Fi station, this one starts the UART tunnel.
 */
#include "wifi_manager_sim.h"

#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "netif_uart_tunnel_sim.h"
#include "web_server.h"

static const char *TAG = "wifi_manager_sim";

esp_err_t wifi_manager_sim_init(void)
{
    esp_err_t err = esp_netif_init();
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "esp_netif_init: %s", esp_err_to_name(err));
        return err;
    }
    /* INVALID_STATE: another component already created the default loop */
    err = esp_event_loop_create_default();
    if (err != ESP_OK && err != ESP_ERR_INVALID_STATE) {
        ESP_LOGE(TAG, "esp_event_loop_create_default: %s", esp_err_to_name(err));
        return err;
    }

    /* The tunnel's addressing: this device .2, the host's tun0 .1 as gateway. */
    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    const uint8_t ip[4] = {192, 168, 100, 2};
    const uint8_t netmask[4] = {255, 255, 255, 0};
    const uint8_t gw[4] = {192, 168, 100, 1};
    memcpy(tunnel.ip, ip, sizeof ip);
    memcpy(tunnel.netmask, netmask, sizeof netmask);
    memcpy(tunnel.gw, gw, sizeof gw);
    err = netif_uart_tunnel_init(&tunnel);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "UART tunnel: %s", esp_err_to_name(err));
        return err;
    }

    err = web_server_start();
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "web server: %s", esp_err_to_name(err));
        return err;
    }
    ESP_LOGI(TAG, "ready: http://%u.%u.%u.%u/", ip[0], ip[1], ip[2], ip[3]);
    return ESP_OK;
}
