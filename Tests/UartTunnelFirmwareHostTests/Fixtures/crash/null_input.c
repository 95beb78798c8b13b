/*
 * A tunnel driver that follows the seed's sequence but forgets `netif->input`: it never
 * calls esp_netif_action_start, so nothing but the driver could have set it (esp_netif_new
 * leaves the lwIP netif zeroed).  The first frame it hands up calls a NULL pointer, an
 * InstrFetchProhibited panic on an ESP32.
 */
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_net_stack.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"

static struct netif *s_netif;

static err_t tunnel_output(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    uint8_t header[2] = { (uint8_t)(p->tot_len >> 8), (uint8_t)p->tot_len };
    uart_write_bytes(UART_NUM_1, header, 2);
    for (struct pbuf *q = p; q != NULL; q = q->next) {
        uart_write_bytes(UART_NUM_1, q->payload, q->len);
    }
    return ERR_OK;
}

static void rx_task(void *arg)
{
    (void)arg;
    static uint8_t frame[1518];
    for (;;) {
        uint8_t header[2];
        if (uart_read_bytes(UART_NUM_1, header, 2, portMAX_DELAY) != 2) {
            continue;
        }
        int len = (header[0] << 8) | header[1];
        if (len < 14 || len > 1518 || uart_read_bytes(UART_NUM_1, frame, len, pdMS_TO_TICKS(1000)) != len) {
            continue;
        }
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (p == NULL) {
            continue;
        }
        pbuf_take(p, frame, (u16_t)len);
        if (s_netif->input(p, s_netif) != ERR_OK) {
            pbuf_free(p);
        }
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(uart_driver_install(UART_NUM_1, 2048, 2048, 0, NULL, 0));
    esp_netif_config_t config = ESP_NETIF_DEFAULT_ETH();
    esp_netif_t *esp_netif = esp_netif_new(&config);
    esp_netif_dhcpc_stop(esp_netif);
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_set_ip4_addr(&ip.ip, 192, 168, 100, 2);
    esp_netif_set_ip4_addr(&ip.netmask, 255, 255, 255, 0);
    esp_netif_set_ip4_addr(&ip.gw, 192, 168, 100, 1);
    esp_netif_set_ip_info(esp_netif, &ip);
    s_netif = esp_netif_get_netif_impl(esp_netif);
    const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    LOCK_TCPIP_CORE();
    memcpy(s_netif->hwaddr, mac, 6);
    s_netif->hwaddr_len = 6;
    s_netif->mtu = 1500;
    s_netif->flags |= NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST;
    s_netif->output = etharp_output;
    s_netif->linkoutput = tunnel_output;  /* but no s_netif->input */
    UNLOCK_TCPIP_CORE();
    esp_netif_action_connected(esp_netif, NULL, 0, NULL);
    xTaskCreate(rx_task, "uart_rx", 4096, NULL, 5, NULL);
}
