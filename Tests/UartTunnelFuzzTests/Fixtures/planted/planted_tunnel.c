/*
 * A clean-room UART tunnel driver (written for these tests, not taken from any firmware) with at most one planted
 * bug, chosen by the "planted.h" in the -I directory the test passes (each subdirectory here has one; "none" has
 * none). `uart-tunnel fuzz` must find each from its seed corpus:
 *
 *   PLANTED_WRONG_BOUND   the length is checked against 1600 (a made-up "max frame") while the frame buffer holds
 *                         1518: a record of 1519…1600 bytes is read past the end of the buffer
 *   PLANTED_REUSES_LENT   zero-copy RX: one static buffer lent to esp_netif_receive and reused for the next frame
 *                         while lwIP still holds the last one (an IP fragment waiting for the rest)
 *   PLANTED_NO_RESYNC     after a bad length the driver "drains the line until it is quiet", but its loop also
 *                         continues on a read that timed out (>= 0 instead of > 0), so it never reads a record again
 *   PLANTED_SPINS         after a bad length it polls the UART with a zero wait and never yields: a task that
 *                         never blocks again
 *
 * And one that is not a bug: PLANTED_FRAME_TIMEOUT_MS (early_timeout: 960) gives up on a record's body that much
 * after its length, within the ±50 ms either side of 1 s where a record may fairly be taken or dropped
 * (CEspIdfHost_DEADLINE_BAND_MS): neither `fuzz` nor the device may name it.
 *
 * Otherwise: UART1, [len_hi][len_lo][frame] records of 14…1518 bytes, 1 s for the rest of a record,
 * 192.168.100.2/24 via 192.168.100.1, MAC 02:00:00:00:00:02, static ARP for the gateway.
 */
#include <stdbool.h>
#include <string.h>

#include "planted.h"
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

#define UART UART_NUM_1
#define FRAME_BUFFER 1518
#ifndef PLANTED_FRAME_TIMEOUT_MS
#define PLANTED_FRAME_TIMEOUT_MS 1000
#endif
#ifdef PLANTED_WRONG_BOUND
#define MAX_LENGTH 1600
#else
#define MAX_LENGTH FRAME_BUFFER
#endif

static esp_netif_t *s_netif;
static struct netif *s_lwip;
static uint8_t s_frame[FRAME_BUFFER];

static err_t tunnel_output(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    uint8_t record[2 + FRAME_BUFFER];
    const size_t len = p->tot_len <= FRAME_BUFFER ? p->tot_len : FRAME_BUFFER;
    record[0] = (uint8_t)(len >> 8);
    record[1] = (uint8_t)len;
    pbuf_copy_partial(p, record + 2, (u16_t)len, 0);
    uart_write_bytes(UART, record, 2 + len);
    return ERR_OK;
}

static esp_err_t transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    (void)buffer;
    (void)len;
    return ESP_OK;   /* lwIP sends through tunnel_output */
}

static void free_rx(void *h, void *buffer)
{
    (void)h;
    (void)buffer;    /* the static buffer is never freed */
}

/* len bytes, all of them within timeout of the first call */
static bool read_exact(uint8_t *buf, size_t len, TickType_t timeout)
{
    const TickType_t start = xTaskGetTickCount();
    size_t got = 0;
    while (got < len) {
        const TickType_t elapsed = xTaskGetTickCount() - start;
        if (timeout != portMAX_DELAY && elapsed >= timeout) {
            return false;
        }
        const int n = uart_read_bytes(UART, buf + got, len - got,
                                      timeout == portMAX_DELAY ? timeout : timeout - elapsed);
        if (n < 0) {
            return false;
        }
        got += (size_t)n;
    }
    return true;
}

static void after_bad_length(void)
{
#if defined(PLANTED_NO_RESYNC)
    uint8_t junk[64];
    while (uart_read_bytes(UART, junk, sizeof junk, pdMS_TO_TICKS(20)) >= 0) {
    }
#elif defined(PLANTED_SPINS)
    uint8_t junk[64];
    for (;;) {
        (void)uart_read_bytes(UART, junk, sizeof junk, 0);
    }
#endif
}

static void deliver(size_t len)
{
#ifdef PLANTED_REUSES_LENT
    esp_netif_receive(s_netif, s_frame, len, NULL);
#else
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
    if (p == NULL) {
        return;
    }
    pbuf_take(p, s_frame, (u16_t)len);
    if (s_lwip->input(p, s_lwip) != ERR_OK) {
        pbuf_free(p);
    }
#endif
}

static void rx_task(void *arg)
{
    (void)arg;
    uint8_t prefix[2];
    for (;;) {
        if (!read_exact(prefix, 1, portMAX_DELAY) || !read_exact(prefix + 1, 1, pdMS_TO_TICKS(1000))) {
            continue;
        }
        const size_t len = ((size_t)prefix[0] << 8) | prefix[1];
        if (len < 14 || len > MAX_LENGTH) {
            after_bad_length();
            continue;
        }
        if (read_exact(s_frame, len, pdMS_TO_TICKS(PLANTED_FRAME_TIMEOUT_MS))) {
            deliver(len);
        } else {
            ESP_LOGW("planted", "record of %u bytes incomplete after %d ms, dropped", (unsigned)len,
                     PLANTED_FRAME_TIMEOUT_MS);
        }
    }
}

void app_main(void)
{
    const uart_config_t uart = { .baud_rate = 115200, .data_bits = UART_DATA_8_BITS,
                                 .parity = UART_PARITY_DISABLE, .stop_bits = UART_STOP_BITS_1,
                                 .flow_ctrl = UART_HW_FLOWCTRL_DISABLE };
    ESP_ERROR_CHECK(esp_netif_init());

    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.flags = ESP_NETIF_FLAG_EVENT_IP_MODIFIED;
    const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    const esp_netif_driver_ifconfig_t driver = { .handle = &s_netif, .transmit = transmit,
                                                 .driver_free_rx_buffer = free_rx };
    const esp_netif_config_t config = { .base = &base, .driver = &driver, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    s_netif = esp_netif_new(&config);
    ESP_ERROR_CHECK(esp_netif_set_mac(s_netif, (uint8_t *)mac));
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_set_ip4_addr(&ip.ip, 192, 168, 100, 2);
    esp_netif_set_ip4_addr(&ip.netmask, 255, 255, 255, 0);
    esp_netif_set_ip4_addr(&ip.gw, 192, 168, 100, 1);
    ESP_ERROR_CHECK(esp_netif_set_ip_info(s_netif, &ip));
    esp_netif_action_start(s_netif, NULL, 0, NULL);
    s_lwip = esp_netif_get_netif_impl(s_netif);

    LOCK_TCPIP_CORE();
    s_lwip->linkoutput = tunnel_output;
    s_lwip->flags = NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST;
    netif_set_default(s_lwip);
    UNLOCK_TCPIP_CORE();
    esp_netif_action_connected(s_netif, NULL, 0, NULL);

    ip4_addr_t gw = { .addr = ip.gw.addr };
    struct eth_addr gw_mac = { .addr = { 0x02, 0, 0, 0, 0, 0x01 } };
    LOCK_TCPIP_CORE();
    etharp_add_static_entry(&gw, &gw_mac);
    UNLOCK_TCPIP_CORE();
    /* the UART last, just before its reader: the link's bytes start arriving from here on */
    ESP_ERROR_CHECK(uart_param_config(UART, &uart));
    ESP_ERROR_CHECK(uart_driver_install(UART, 4096, 0, 0, NULL, 0));
    xTaskCreate(rx_task, "rx", 4096, NULL, 5, NULL);
}
