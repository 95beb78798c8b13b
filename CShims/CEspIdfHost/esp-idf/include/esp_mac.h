/*
 * esp_mac.h on the host: ESP-IDF v5.4's MAC address API
 * (components/esp_hw_support/include/esp_mac.h, mac_addr.c) for an ESP32 with
 * four universal MAC addresses (CONFIG_ESP_MAC_UNIVERSAL_MAC_ADDRESSES_FOUR, the
 * ESP32 default): from the base MAC, Wi-Fi STA = base, soft-AP = base+1,
 * BT = base+2, Ethernet = base+3 (last byte only, no carry, as mac_addr.c adds).
 * The host's factory ("eFuse") MAC is 02:12:34:56:78:ab — see src/system/mac.c.
 */
#ifndef ESP_IDF_HOST_ESP_MAC_H
#define ESP_IDF_HOST_ESP_MAC_H

#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"
#include "sdkconfig.h"

#ifndef MAC2STR
#define MAC2STR(a) (a)[0], (a)[1], (a)[2], (a)[3], (a)[4], (a)[5]
#define MACSTR "%02x:%02x:%02x:%02x:%02x:%02x"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ESP_MAC_WIFI_STA,
    ESP_MAC_WIFI_SOFTAP,
    ESP_MAC_BT,
    ESP_MAC_ETH,
    ESP_MAC_IEEE802154,    /* not on an ESP32: ESP_ERR_NOT_SUPPORTED */
    ESP_MAC_BASE,
    ESP_MAC_EFUSE_FACTORY,
    ESP_MAC_EFUSE_CUSTOM,
    ESP_MAC_EFUSE_EXT,     /* not on an ESP32: ESP_ERR_NOT_SUPPORTED */
} esp_mac_type_t;

#define ONE_UNIVERSAL_MAC_ADDR 1
#define TWO_UNIVERSAL_MAC_ADDR 2
#define FOUR_UNIVERSAL_MAC_ADDR 4
#ifdef CONFIG_ESP_MAC_UNIVERSAL_MAC_ADDRESSES
#define UNIVERSAL_MAC_ADDR_NUM CONFIG_ESP_MAC_UNIVERSAL_MAC_ADDRESSES
#else
#define UNIVERSAL_MAC_ADDR_NUM FOUR_UNIVERSAL_MAC_ADDR
#endif

/** Sets the base MAC that interface MACs not yet read are derived from; ESP_ERR_INVALID_ARG if NULL or multicast. */
esp_err_t esp_base_mac_addr_set(const uint8_t *mac);
/** The base MAC: the one set, else the factory MAC. */
esp_err_t esp_base_mac_addr_get(uint8_t *mac);
/** An ESP32 without a custom MAC in eFuse BLK3: ESP_ERR_INVALID_VERSION. */
esp_err_t esp_efuse_mac_get_custom(uint8_t *mac);
/** The factory MAC (02:12:34:56:78:ab on the host). */
esp_err_t esp_efuse_mac_get_default(uint8_t *mac);
/** The MAC of an interface type: the one set with esp_iface_mac_addr_set, else derived from the base MAC (once,
 *  then remembered). */
esp_err_t esp_read_mac(uint8_t *mac, esp_mac_type_t type);
/** universal_mac with the locally-administered bit set (or, if it already was, bit 0x4 flipped). */
esp_err_t esp_derive_local_mac(uint8_t *local_mac, const uint8_t *universal_mac);
/** Sets the MAC of one interface type (not the eFuse ones). */
esp_err_t esp_iface_mac_addr_set(const uint8_t *mac, esp_mac_type_t type);
/** 6 for the types an ESP32 has, 0 for the others. */
size_t esp_mac_addr_len_get(esp_mac_type_t type);

#ifdef __cplusplus
}
#endif

#endif
