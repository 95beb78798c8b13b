/*
 * An esp_netif driver whose driver config has no driver_free_rx_buffer, while it hands
 * frames up zero-copy with esp_netif_receive.  When lwIP frees the first such frame,
 * ESP-IDF v5.4's esp_netif_free_rx_buffer calls the NULL pointer (a panic on an ESP32).
 */
#include <stdlib.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static esp_netif_t *s_netif;
static int s_handle;

static esp_err_t transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    uint8_t header[2] = { (uint8_t)(len >> 8), (uint8_t)len };
    uart_write_bytes(UART_NUM_1, header, 2);
    uart_write_bytes(UART_NUM_1, buffer, len);
    return ESP_OK;
}

static void rx_task(void *arg)
{
    (void)arg;
    for (;;) {
        uint8_t header[2];
        if (uart_read_bytes(UART_NUM_1, header, 2, portMAX_DELAY) != 2) {
            continue;
        }
        int len = (header[0] << 8) | header[1];
        uint8_t *frame = malloc(1518);
        if (len < 14 || len > 1518 || uart_read_bytes(UART_NUM_1, frame, len, pdMS_TO_TICKS(1000)) != len) {
            free(frame);
            continue;
        }
        esp_netif_receive(s_netif, frame, len, NULL);
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(uart_driver_install(UART_NUM_1, 2048, 2048, 0, NULL, 0));
    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.flags = ESP_NETIF_FLAG_AUTOUP;
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_set_ip4_addr(&ip.ip, 192, 168, 100, 2);
    esp_netif_set_ip4_addr(&ip.netmask, 255, 255, 255, 0);
    esp_netif_set_ip4_addr(&ip.gw, 192, 168, 100, 1);
    base.ip_info = &ip;
    const esp_netif_driver_ifconfig_t driver = { .handle = &s_handle, .transmit = transmit };
    esp_netif_config_t config = { .base = &base, .driver = &driver, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    s_netif = esp_netif_new(&config);
    const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    esp_netif_set_mac(s_netif, (uint8_t *)mac);
    esp_netif_action_start(s_netif, NULL, 0, NULL);
    xTaskCreate(rx_task, "uart_rx", 4096, NULL, 5, NULL);
}
