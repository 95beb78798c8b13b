/*
 * UART IP tunnel netif: an lwIP Ethernet interface whose "wire" is UART1.
 *
 * Every frame travels as one record, in both directions:
 *
 *   +--------+--------+---------------------------------------------------+
 *   | len_hi | len_lo | Ethernet frame, len bytes (14 ..= MAX_FRAME)      |
 *   +--------+--------+---------------------------------------------------+
 *                     | dst MAC 6 | src MAC 6 | EtherType 2 | payload ... |
 *
 * On the host, tools/serial_tun_bridge.py connects QEMU's UART1 chardev
 * (TCP 5556) to a TUN interface 192.168.100.1/24.
 */
#ifndef NETIF_UART_TUNNEL_SIM_H
#define NETIF_UART_TUNNEL_SIM_H

#include <stdint.h>
#include "esp_err.h"
#include "esp_netif.h"
#include "driver/uart.h"
#include "freertos/FreeRTOS.h" /* also brings in sdkconfig.h on ESP-IDF */

#ifdef __cplusplus
extern "C" {
#endif

/* Kconfig (menu "UART IP tunnel") overrides these on ESP-IDF; the fallbacks
 * are the values the tunnel was designed with, used where no sdkconfig.h exists. */
#ifdef CONFIG_NETIF_UART_TUNNEL_UART_NUM
#define NETIF_UART_TUNNEL_UART_NUM CONFIG_NETIF_UART_TUNNEL_UART_NUM
#else
#define NETIF_UART_TUNNEL_UART_NUM 1
#endif
#ifdef CONFIG_NETIF_UART_TUNNEL_BAUD_RATE
#define NETIF_UART_TUNNEL_BAUD_RATE CONFIG_NETIF_UART_TUNNEL_BAUD_RATE
#else
#define NETIF_UART_TUNNEL_BAUD_RATE 115200
#endif
#ifdef CONFIG_NETIF_UART_TUNNEL_TX_GPIO
#define NETIF_UART_TUNNEL_TX_GPIO CONFIG_NETIF_UART_TUNNEL_TX_GPIO
#else
#define NETIF_UART_TUNNEL_TX_GPIO 17
#endif
#ifdef CONFIG_NETIF_UART_TUNNEL_RX_GPIO
#define NETIF_UART_TUNNEL_RX_GPIO CONFIG_NETIF_UART_TUNNEL_RX_GPIO
#else
#define NETIF_UART_TUNNEL_RX_GPIO 16
#endif

#define NETIF_UART_TUNNEL_MIN_FRAME 14   /* Ethernet header only */
/* CONFIG_UART_TUNNEL_MAX_FRAME: 1518 (classic Ethernet; MTU 1500 frames are 1514) up to 9018 (MTU 9000). */
#ifdef CONFIG_UART_TUNNEL_MAX_FRAME
#define NETIF_UART_TUNNEL_MAX_FRAME CONFIG_UART_TUNNEL_MAX_FRAME
#else
#define NETIF_UART_TUNNEL_MAX_FRAME 1518
#endif
/* The lwIP MTU that fills a frame: the 14-byte header and 4 bytes of room (VLAN tag or FCS) come off. */
#define NETIF_UART_TUNNEL_MTU (NETIF_UART_TUNNEL_MAX_FRAME - 18)
/* UART ring buffers: the seed's 2 KB, or two whole records when frames are larger. */
#define NETIF_UART_TUNNEL_RING_SIZE \
    (2 * (NETIF_UART_TUNNEL_MAX_FRAME + 2) > 2048 ? 2 * (NETIF_UART_TUNNEL_MAX_FRAME + 2) : 2048)

typedef struct {
    uart_port_t uart_num;
    int baud_rate;
    int tx_gpio;
    int rx_gpio;
    int rx_buffer_size;   /* UART driver ring buffers, bytes */
    int tx_buffer_size;
    uint8_t ip[4];        /* static address, dotted-quad order */
    uint8_t netmask[4];
    uint8_t gw[4];
    uint8_t mac[6];       /* this device */
    uint8_t gw_mac[6];    /* the host side of the tunnel, entered as a static ARP entry */
    UBaseType_t rx_task_priority;
    uint32_t rx_task_stack_size; /* bytes, as xTaskCreate takes it on ESP-IDF */
} netif_uart_tunnel_config_t;

/* The seed's values: UART1 115200 8N1 on GPIO17 (TX) / GPIO16 (RX), 2 KB buffers,
 * 192.168.100.2/24 via 192.168.100.1, MACs 02:00:00:00:00:02 (device) and
 * 02:00:00:00:00:01 (host), RX task priority 5 with a 4 KB stack. */
#define NETIF_UART_TUNNEL_DEFAULT_CONFIG() {                     \
        .uart_num = NETIF_UART_TUNNEL_UART_NUM,                  \
        .baud_rate = NETIF_UART_TUNNEL_BAUD_RATE,                \
        .tx_gpio = NETIF_UART_TUNNEL_TX_GPIO,                    \
        .rx_gpio = NETIF_UART_TUNNEL_RX_GPIO,                    \
        .rx_buffer_size = NETIF_UART_TUNNEL_RING_SIZE,           \
        .tx_buffer_size = NETIF_UART_TUNNEL_RING_SIZE,           \
        .ip = {192, 168, 100, 2},                                \
        .netmask = {255, 255, 255, 0},                           \
        .gw = {192, 168, 100, 1},                                \
        .mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},             \
        .gw_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},          \
        .rx_task_priority = 5,                                   \
        .rx_task_stack_size = 4096,                              \
    }

/* Counters since init.  Byte counts are Ethernet frame bytes, without the
 * 2-byte length prefix. */
typedef struct {
    uint32_t rx_frames;         /* complete, valid frames handed to lwIP */
    uint32_t rx_bytes;
    uint32_t tx_frames;         /* frames written to the UART */
    uint32_t tx_bytes;
    uint32_t rx_invalid_length; /* length prefix outside 14..MAX_FRAME, skipped */
    uint32_t rx_incomplete;     /* frame not complete within 1 s, dropped */
    uint32_t rx_dropped;        /* valid frame lost: no pbuf, or lwIP refused it */
    uint32_t tx_errors;         /* uart_write_bytes failed */
} netif_uart_tunnel_stats_t;

/**
 * Bring up the tunnel: install the UART driver, create the esp_netif, set the
 * static address, configure the lwIP netif (MAC, flags, MTU, linkoutput,
 * default route, static ARP entry for the gateway) and start the RX task.
 *
 * Needs esp_netif_init() and esp_event_loop_create_default() first.
 * cfg may be NULL for NETIF_UART_TUNNEL_DEFAULT_CONFIG().  Call once.
 */
esp_err_t netif_uart_tunnel_init(const netif_uart_tunnel_config_t *cfg);

/** The esp_netif created by netif_uart_tunnel_init(), or NULL before it. */
esp_netif_t *netif_uart_tunnel_get_esp_netif(void);

/** Copy the current counters into *out. */
void netif_uart_tunnel_get_stats(netif_uart_tunnel_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif /* NETIF_UART_TUNNEL_SIM_H */
