/*
 * esp_netif_ip_addr.h on the host: esp-netif's address types.  esp_ip4_addr_t has
 * lwIP's ip4_addr_t layout (one u32 in network order), so the two convert by cast,
 * as on ESP-IDF.
 */
#ifndef ESP_IDF_HOST_ESP_NETIF_IP_ADDR_H
#define ESP_IDF_HOST_ESP_NETIF_IP_ADDR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct esp_ip4_addr {
    uint32_t addr;
} esp_ip4_addr_t;

typedef struct esp_ip6_addr {
    uint32_t addr[4];
    uint8_t zone;
} esp_ip6_addr_t;

typedef struct _ip_addr {
    union {
        esp_ip6_addr_t ip6;
        esp_ip4_addr_t ip4;
    } u_addr;
    uint8_t type;
} esp_ip_addr_t;

#define ESP_IPADDR_TYPE_V4 0U
#define ESP_IPADDR_TYPE_V6 6U

/* a.b.c.d as the u32 in network byte order (little-endian host: a is the low byte). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define esp_netif_htonl(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#else
#define esp_netif_htonl(x) ((uint32_t)(x))
#endif
#define ESP_IP4TOUINT32(a, b, c, d) \
    (((uint32_t)((a) & 0xffU) << 24) | ((uint32_t)((b) & 0xffU) << 16) | \
     ((uint32_t)((c) & 0xffU) << 8) | (uint32_t)((d) & 0xffU))
#define ESP_IP4TOADDR(a, b, c, d) esp_netif_htonl(ESP_IP4TOUINT32(a, b, c, d))
#define ESP_IP4ADDR_INIT(a, b, c, d) { .type = ESP_IPADDR_TYPE_V4, .u_addr = { .ip4 = { .addr = ESP_IP4TOADDR(a, b, c, d) } } }

#define esp_ip4_addr_get_byte(ipaddr, idx) (((const uint8_t *)(&(ipaddr)->addr))[idx])
#define esp_ip4_addr1(ipaddr) esp_ip4_addr_get_byte(ipaddr, 0)
#define esp_ip4_addr2(ipaddr) esp_ip4_addr_get_byte(ipaddr, 1)
#define esp_ip4_addr3(ipaddr) esp_ip4_addr_get_byte(ipaddr, 2)
#define esp_ip4_addr4(ipaddr) esp_ip4_addr_get_byte(ipaddr, 3)
#define esp_ip4_addr1_16(ipaddr) ((uint16_t)esp_ip4_addr1(ipaddr))
#define esp_ip4_addr2_16(ipaddr) ((uint16_t)esp_ip4_addr2(ipaddr))
#define esp_ip4_addr3_16(ipaddr) ((uint16_t)esp_ip4_addr3(ipaddr))
#define esp_ip4_addr4_16(ipaddr) ((uint16_t)esp_ip4_addr4(ipaddr))

#define IP2STR(ipaddr) esp_ip4_addr1_16(ipaddr), esp_ip4_addr2_16(ipaddr), \
    esp_ip4_addr3_16(ipaddr), esp_ip4_addr4_16(ipaddr)
#define IPSTR "%d.%d.%d.%d"

#ifdef __cplusplus
}
#endif

#endif
