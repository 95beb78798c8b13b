/*
 * UART tunnel netif, following the seed's "Initialization Sequence" step 2 to the
 * letter: UART1 hardware set-up, an esp_netif from ESP_NETIF_INHERENT_DEFAULT_ETH(),
 * a static address, then direct lwIP integration (MAC, flags, callbacks, default
 * netif, static ARP for the gateway) and an RX task at priority 5.
 *
 * It never calls esp_netif_action_start(): the lwIP netif is never netif_add()ed.
 * esp_netif_action_connected() is what brings it up (ESP-IDF v5.4 esp_netif_up_api:
 * netif_set_addr, netif_set_up, netif_set_link_up, default netif).  The static ARP
 * entry is added after that, because etharp_add_static_entry() needs ip4_route() to
 * find a netif that is up: with no netif in netif_list that is the default netif.
 *
 * Record on UART1:
 *
 *   +--------+--------+-------------------------------------------+
 *   | len_hi | len_lo | Ethernet frame (len bytes, 14..1518)      |
 *   +--------+--------+-------------------------------------------+
 */
#include "netif_uart_tunnel.h"

#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_net_stack.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"

#define TUNNEL_UART        UART_NUM_1
#define TUNNEL_TX_GPIO     17
#define TUNNEL_RX_GPIO     16
#define UART_RX_BUF_SIZE   2048
#define UART_TX_BUF_SIZE   2048
#define MIN_ETH_FRAME_SIZE 14
#define MAX_ETH_FRAME_SIZE 1518
#define PARTIAL_TIMEOUT_MS 1000
#define RX_TASK_PRIORITY   5

static const char *TAG = "uart_tunnel";

static const uint8_t s_device_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t s_host_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static esp_netif_t *s_esp_netif;
static struct netif *s_netif;

/* linkoutput: the whole chain, length first, in one UART write.  p stays lwIP's. */
static err_t tunnel_linkoutput(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    if (p->tot_len < MIN_ETH_FRAME_SIZE || p->tot_len > MAX_ETH_FRAME_SIZE) {
        ESP_LOGW(TAG, "TX: refusing a %u-byte frame", (unsigned)p->tot_len);
        return ERR_IF;
    }
    uint8_t record[2 + MAX_ETH_FRAME_SIZE];
    record[0] = (uint8_t)(p->tot_len >> 8);
    record[1] = (uint8_t)(p->tot_len & 0xFF);
    if (pbuf_copy_partial(p, record + 2, p->tot_len, 0) != p->tot_len) {
        return ERR_BUF;
    }
    const int total = 2 + (int)p->tot_len;
    if (uart_write_bytes(TUNNEL_UART, record, (size_t)total) != total) {
        return ERR_IF;
    }
    ESP_LOGD(TAG, "TX: %u bytes", (unsigned)p->tot_len);
    return ERR_OK;
}

/* Exactly want bytes, all within timeout of the first call; false if they did not all come. */
static bool read_within(uint8_t *into, size_t want, TickType_t timeout)
{
    const TickType_t start = xTaskGetTickCount();
    size_t have = 0;
    while (have < want) {
        const TickType_t spent = xTaskGetTickCount() - start;
        if (spent >= timeout) {
            break;
        }
        const int n = uart_read_bytes(TUNNEL_UART, into + have, (uint32_t)(want - have), timeout - spent);
        if (n < 0) {
            return false;
        }
        have += (size_t)n;
    }
    return have == want;
}

static void uart_rx_task(void *arg)
{
    (void)arg;
    uint8_t frame_buffer[MAX_ETH_FRAME_SIZE];
    uint8_t length[2];
    for (;;) {
        if (uart_read_bytes(TUNNEL_UART, length, 1, portMAX_DELAY) != 1) {
            continue;
        }
        if (!read_within(length + 1, 1, pdMS_TO_TICKS(PARTIAL_TIMEOUT_MS))) {
            ESP_LOGW(TAG, "RX: length byte 2 missing after %d ms, dropped", PARTIAL_TIMEOUT_MS);
            continue;
        }
        const int frame_len = (length[0] << 8) | length[1];
        if (frame_len < MIN_ETH_FRAME_SIZE || frame_len > MAX_ETH_FRAME_SIZE) {
            ESP_LOGW(TAG, "Invalid frame length: %d", frame_len);
            continue;
        }
        if (!read_within(frame_buffer, (size_t)frame_len, pdMS_TO_TICKS(PARTIAL_TIMEOUT_MS))) {
            ESP_LOGW(TAG, "RX: %d-byte frame incomplete after %d ms, dropped", frame_len, PARTIAL_TIMEOUT_MS);
            continue;
        }
        ESP_LOGD(TAG, "RX: %d bytes", frame_len);
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)frame_len, PBUF_RAM);
        if (p == NULL) {
            ESP_LOGW(TAG, "RX: no pbuf for %d bytes", frame_len);
            continue;
        }
        memcpy(p->payload, frame_buffer, (size_t)frame_len);
        if (s_netif->input(p, s_netif) != ERR_OK) {
            pbuf_free(p);
        }
    }
}

esp_err_t netif_uart_tunnel_init(void)
{
    /* a) hardware */
    const uart_config_t uart_config = {
        .baud_rate = 115200,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
    };
    ESP_ERROR_CHECK(uart_param_config(TUNNEL_UART, &uart_config));
    ESP_ERROR_CHECK(uart_set_pin(TUNNEL_UART, TUNNEL_TX_GPIO, TUNNEL_RX_GPIO, UART_PIN_NO_CHANGE,
                                 UART_PIN_NO_CHANGE));
    ESP_ERROR_CHECK(uart_driver_install(TUNNEL_UART, UART_RX_BUF_SIZE, UART_TX_BUF_SIZE, 0, NULL, 0));
    ESP_LOGI(TAG, "UART1 115200 8N1 (TX GPIO%d, RX GPIO%d)", TUNNEL_TX_GPIO, TUNNEL_RX_GPIO);

    /* b) esp_netif */
    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    const esp_netif_config_t config = {
        .base = &base,
        .driver = NULL,
        .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH,
    };
    s_esp_netif = esp_netif_new(&config);
    if (s_esp_netif == NULL) {
        ESP_LOGE(TAG, "esp_netif_new failed");
        return ESP_FAIL;
    }

    /* c) static address */
    const esp_err_t dhcp = esp_netif_dhcpc_stop(s_esp_netif);
    ESP_LOGI(TAG, "esp_netif_dhcpc_stop: %s", esp_err_to_name(dhcp));
    esp_netif_ip_info_t ip_info = { 0 };
    esp_netif_set_ip4_addr(&ip_info.ip, 192, 168, 100, 2);
    esp_netif_set_ip4_addr(&ip_info.netmask, 255, 255, 255, 0);
    esp_netif_set_ip4_addr(&ip_info.gw, 192, 168, 100, 1);
    ESP_ERROR_CHECK(esp_netif_set_ip_info(s_esp_netif, &ip_info));

    /* d) lwIP, directly */
    s_netif = esp_netif_get_netif_impl(s_esp_netif);
    LOCK_TCPIP_CORE();
    memcpy(s_netif->hwaddr, s_device_mac, sizeof s_device_mac);
    s_netif->hwaddr_len = sizeof s_device_mac;
    s_netif->mtu = 1500;
    s_netif->name[0] = 'u';
    s_netif->name[1] = 't';
    s_netif->flags |= NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST;
    s_netif->input = tcpip_input;
    s_netif->output = etharp_output;
    s_netif->linkoutput = tunnel_linkoutput;
    netif_set_default(s_netif);
    UNLOCK_TCPIP_CORE();

    esp_netif_action_connected(s_esp_netif, NULL, 0, NULL);

    ip4_addr_t gw;
    IP4_ADDR(&gw, 192, 168, 100, 1);
    struct eth_addr host;
    memcpy(host.addr, s_host_mac, sizeof host.addr);
    LOCK_TCPIP_CORE();
    const err_t arp = etharp_add_static_entry(&gw, &host);
    const bool up = netif_is_up(s_netif) && netif_is_link_up(s_netif);
    const bool is_default = netif_default == s_netif;
    UNLOCK_TCPIP_CORE();
    ESP_LOGI(TAG, "static ARP entry for the gateway: %d%s", (int)arp, arp == ERR_OK ? " (ERR_OK)" : "");
    ESP_LOGI(TAG, "lwIP netif: up+link %s, default %s", up ? "yes" : "no", is_default ? "yes" : "no");

    /* 3) RX task */
    if (xTaskCreate(uart_rx_task, "uart_rx_task", 4096, NULL, RX_TASK_PRIORITY, NULL) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return ESP_OK;
}
