/*
 * A compact UART tunnel driver with one deliberate defect, chosen by the
 * "defect.h" in the -I directory the test passes (each subdirectory here has
 * one; "none" has none, so the same code also runs clean):
 *
 *   DEFECT_FREES_P          linkoutput frees p after writing it
 *   DEFECT_WRITES_LENT_RX   RX lends one static buffer to esp_netif_receive and reuses it at once
 *   DEFECT_TX_LIMIT_1500    linkoutput refuses frames over 1500 bytes (confusing MTU with frame size)
 *   DEFECT_NO_STATIC_ARP    no static ARP entry for the gateway
 *   DEFECT_UNLOCKED_CALL    sets the default netif without LOCK_TCPIP_CORE()
 *   DEFECT_DROPS_LARGE_RX   RX buffer of 1024 bytes: longer frames are read and thrown away
 *   DEFECT_TRUNCATES_RX     hands lwIP at most 1024 bytes of a frame (a copy clamped to a smaller buffer)
 *   DEFECT_PADS_TX          pads frames below 60 bytes to the Ethernet minimum before writing the record
 *   DEFECT_LEAKS_PER_FRAME  keeps a 64-byte note per received frame and never frees it
 *   DEFECT_STACK_OVERFLOW   reassembles each frame in a 256 KiB buffer on the stack of its 4096-byte RX task
 *   DEFECT_NULL_DEREF       counts frames over 1000 bytes through a statistics pointer that is never set
 *   SECOND_NETIF            no defect: a second esp_netif that the firmware feeds itself (not from the UART)
 *
 * Otherwise it follows the seed: UART1, [len_hi][len_lo][frame] records,
 * 192.168.100.2/24 via 192.168.100.1, MAC 02:00:00:00:00:02.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "defect.h"
#include "driver/uart.h"
#include "esp_event.h"
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
#ifdef DEFECT_DROPS_LARGE_RX
#define RX_BUFFER 1024
#else
#define RX_BUFFER 1518
#endif

static const char *TAG = "defective";
static esp_netif_t *s_netif;
static struct netif *s_lwip;
static uint8_t s_rx[1518];

static err_t tunnel_output(struct netif *netif, struct pbuf *p)
{
    (void)netif;
#ifdef DEFECT_TX_LIMIT_1500
    if (p->tot_len > 1500) {
        return ERR_IF;
    }
#endif
    uint8_t record[2 + 1518] = { 0 };
    size_t len = p->tot_len;
    pbuf_copy_partial(p, record + 2, p->tot_len, 0);
#ifdef DEFECT_PADS_TX
    if (len < 60) {
        len = 60;
    }
#endif
    record[0] = (uint8_t)(len >> 8);
    record[1] = (uint8_t)len;
    uart_write_bytes(UART, record, 2u + len);
#ifdef DEFECT_FREES_P
    pbuf_free(p);
#endif
    return ERR_OK;
}

static esp_err_t transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    (void)buffer;
    (void)len;
    return ESP_OK;  /* lwIP uses tunnel_output */
}

static void free_rx(void *h, void *buffer)
{
    (void)h;
    (void)buffer;  /* the static buffer is never freed */
}

#ifdef DEFECT_LEAKS_PER_FRAME
static void *s_notes;
#endif
#ifdef DEFECT_STACK_OVERFLOW
/* 256 KiB on a 4096-byte stack: ESP-IDF's canary check stops the chip at the next context switch */
static __attribute__((noinline)) void reassemble(size_t len)
{
    volatile uint8_t scratch[256 * 1024];
    for (size_t i = 0; i < sizeof scratch; i += 512) {
        scratch[i] = s_rx[i % len];
    }
}
#endif
#ifdef DEFECT_NULL_DEREF
static struct { unsigned large_frames; } *s_stats;
#endif

/* len bytes within timeout of the first call (a deadline, not a per-read wait) */
static bool read_exact(uint8_t *buf, size_t len, TickType_t timeout)
{
    const TickType_t start = xTaskGetTickCount();
    size_t got = 0;
    while (got < len) {
        const TickType_t elapsed = xTaskGetTickCount() - start;
        if (timeout != portMAX_DELAY && elapsed >= timeout) {
            return false;
        }
        int n = uart_read_bytes(UART, buf + got, len - got, timeout == portMAX_DELAY ? timeout : timeout - elapsed);
        if (n < 0) {
            return false;
        }
        got += (size_t)n;
    }
    return true;
}

static void rx_task(void *arg)
{
    (void)arg;
    uint8_t prefix[2];
    for (;;) {
        if (!read_exact(prefix, 1, portMAX_DELAY) || !read_exact(prefix + 1, 1, pdMS_TO_TICKS(1000))) {
            continue;
        }
        size_t len = ((size_t)prefix[0] << 8) | prefix[1];
        if (len < 14 || len > 1518) {
            continue;
        }
        if (!read_exact(s_rx, len, pdMS_TO_TICKS(1000))) {
            continue;
        }
        if (len > RX_BUFFER) {
            continue;
        }
#ifdef DEFECT_LEAKS_PER_FRAME
        struct note { struct note *next; uint8_t header[56]; } *note = malloc(sizeof *note);
        if (note != NULL) {
            memcpy(note->header, s_rx, sizeof note->header);
            note->next = s_notes;   /* a history nobody trims */
            s_notes = note;
        }
#endif
#ifdef DEFECT_STACK_OVERFLOW
        reassemble(len);
#endif
#ifdef DEFECT_NULL_DEREF
        if (len > 1000) {
            s_stats->large_frames++;  /* NULL_DEREF_LINE */
        }
#endif
#ifdef DEFECT_WRITES_LENT_RX
        esp_netif_receive(s_netif, s_rx, len, NULL);
#else
#ifdef DEFECT_TRUNCATES_RX
        if (len > 1024) {
            len = 1024;
        }
#endif
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (p != NULL) {
            pbuf_take(p, s_rx, (u16_t)len);
            if (s_lwip->input(p, s_lwip) != ERR_OK) {
                pbuf_free(p);
            }
        }
#endif
    }
}

#ifdef SECOND_NETIF
static int s_aux_handle;

static esp_err_t aux_transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    (void)buffer;
    ESP_LOGI(TAG, "aux sent %u bytes", (unsigned)len);
    return ESP_OK;
}

static void aux_free(void *h, void *buffer)
{
    (void)h;
    free(buffer);
}

/* A second interface, 10.0.0.2/24, fed by the firmware itself: an ARP request for its address. */
static void start_second_netif(void)
{
    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.flags = ESP_NETIF_FLAG_AUTOUP;
    base.if_key = "AUX";
    base.if_desc = "aux";
    base.route_prio = 1;
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_set_ip4_addr(&ip.ip, 10, 0, 0, 2);
    esp_netif_set_ip4_addr(&ip.netmask, 255, 255, 255, 0);
    base.ip_info = &ip;
    const esp_netif_driver_ifconfig_t driver = { .handle = &s_aux_handle, .transmit = aux_transmit,
                                                 .driver_free_rx_buffer = aux_free };
    const esp_netif_config_t config = { .base = &base, .driver = &driver, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    esp_netif_t *aux = esp_netif_new(&config);
    uint8_t mac[6] = { 0x02, 0, 0, 0, 0xAA, 0x02 };
    esp_netif_set_mac(aux, mac);
    esp_netif_action_start(aux, NULL, 0, NULL);
    static const uint8_t request[42] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0xAA, 0x01, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, 0x02, 0, 0, 0, 0xAA, 0x01, 10, 0, 0, 1,
        0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
    };
    uint8_t *frame = malloc(sizeof request);
    memcpy(frame, request, sizeof request);
    esp_netif_receive(aux, frame, sizeof request, NULL);
    ESP_LOGI(TAG, "aux fed one ARP request");
}
#endif

void app_main(void)
{
    const uart_config_t uart = { .baud_rate = 115200, .data_bits = UART_DATA_8_BITS,
                                 .parity = UART_PARITY_DISABLE, .stop_bits = UART_STOP_BITS_1,
                                 .flow_ctrl = UART_HW_FLOWCTRL_DISABLE };
    ESP_ERROR_CHECK(uart_param_config(UART, &uart));
    ESP_ERROR_CHECK(uart_driver_install(UART, 4096, 0, 0, NULL, 0));
    ESP_ERROR_CHECK(esp_netif_init());

    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.flags = ESP_NETIF_FLAG_EVENT_IP_MODIFIED;
    const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    memcpy(base.mac, mac, 6);
    const esp_netif_driver_ifconfig_t driver = { .handle = &s_netif, .transmit = transmit,
                                                 .driver_free_rx_buffer = free_rx };
    const esp_netif_config_t config = { .base = &base, .driver = &driver, .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH };
    s_netif = esp_netif_new(&config);
    /* ESP-IDF v5.4 puts a MAC into lwIP's hwaddr only in esp_netif_set_mac (base.mac is not copied) */
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
    UNLOCK_TCPIP_CORE();
#ifdef DEFECT_UNLOCKED_CALL
    netif_set_default(s_lwip);
#else
    LOCK_TCPIP_CORE();
    netif_set_default(s_lwip);
    UNLOCK_TCPIP_CORE();
#endif
    esp_netif_action_connected(s_netif, NULL, 0, NULL);

#ifndef DEFECT_NO_STATIC_ARP
    ip4_addr_t gw = { .addr = ip.gw.addr };
    struct eth_addr gw_mac = { .addr = { 0x02, 0, 0, 0, 0, 0x01 } };
    LOCK_TCPIP_CORE();
    etharp_add_static_entry(&gw, &gw_mac);
    UNLOCK_TCPIP_CORE();
#endif
    xTaskCreate(rx_task, "rx", 4096, NULL, 5, NULL);
#ifdef SECOND_NETIF
    start_second_netif();
#endif
    ESP_LOGI(TAG, "up");
}
