/*
 * A wired netif in the USB-NCM interface's manner: no driver object, only static
 * IO functions and a static esp_netif built from a hand-written inherent config
 * (AUTOUP, a fixed address, its own key and route priority), lwIP's Ethernet
 * netstack (ethernetif_init / ethernetif_input) as the stack config, its MAC set
 * with esp_netif_set_mac(), and esp_netif_action_start() as the only lifecycle call.
 */
#include <stdlib.h>
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_netif.h"
#include "lwip/esp_netif_net_stack.h"
#include "uart_net.h"
#include "wired_iface.h"

static const char *TAG = "wired_uart_ncm";
static esp_netif_t *s_netif = NULL;

static const esp_netif_ip_info_t s_wired_ip = {
    .ip = { .addr = ESP_IP4TOADDR(192, 168, 100, 2) },
    .netmask = { .addr = ESP_IP4TOADDR(255, 255, 255, 0) },
    .gw = { .addr = ESP_IP4TOADDR(192, 168, 100, 1) },
};

static void l2_free(void *h, void *buffer)
{
    (void)h;
    free(buffer);
}

static esp_err_t netif_transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    if (uart_net_send(buffer, (uint16_t)len) != ESP_OK) {
        ESP_LOGE(TAG, "could not send %u bytes to the UART", (unsigned)len);
    }
    return ESP_OK;
}

/* uart_net reuses its buffer as soon as this returns: lend the stack a copy. */
static esp_err_t netif_recv_callback(void *buffer, uint16_t len, void *ctx)
{
    (void)ctx;
    if (s_netif == NULL) {
        return ESP_OK;
    }
    void *copy = malloc(len);
    if (copy == NULL) {
        return ESP_ERR_NO_MEM;
    }
    memcpy(copy, buffer, len);
    return esp_netif_receive(s_netif, copy, len, NULL);
}

esp_err_t wired_netif_init(void)
{
    const uart_net_config_t net_config = {
        .mac_addr = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
        .on_recv_callback = netif_recv_callback,
    };
    esp_err_t ret = uart_net_init(&net_config);
    if (ret != ESP_OK) {
        ESP_LOGE(TAG, "cannot start the UART link");
        return ret;
    }

    uint8_t lwip_addr[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

    esp_netif_inherent_config_t base_cfg = {
        .flags = ESP_NETIF_FLAG_AUTOUP,   /* up (and link up) as soon as it is started */
        .ip_info = &s_wired_ip,
        .if_key = "wired",
        .if_desc = "uart ncm-style device",
        .route_prio = 10,
    };
    esp_netif_driver_ifconfig_t driver_cfg = {
        .handle = (void *)1,              /* no instance: the link is a singleton, but the handle must be non-NULL */
        .transmit = netif_transmit,
        .driver_free_rx_buffer = l2_free,
    };
    struct esp_netif_netstack_config lwip_netif_config = {
        .lwip = {
            .init_fn = ethernetif_init,
            .input_fn = ethernetif_input,
        },
    };
    esp_netif_config_t cfg = {
        .base = &base_cfg,
        .driver = &driver_cfg,
        .stack = &lwip_netif_config,
    };
    s_netif = esp_netif_new(&cfg);
    if (s_netif == NULL) {
        return ESP_FAIL;
    }
    esp_netif_set_mac(s_netif, lwip_addr);
    esp_netif_action_start(s_netif, 0, 0, 0);
    return ESP_OK;
}

esp_netif_t *wired_netif(void)
{
    return s_netif;
}
