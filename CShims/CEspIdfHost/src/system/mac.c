/*
 * esp_mac.h on the host, as ESP-IDF v5.4's components/esp_hw_support/mac_addr.c
 * behaves on an ESP32 with four universal MAC addresses (its default):
 *
 *   base = the factory MAC, or the one esp_base_mac_addr_set chose
 *   STA = base, soft-AP = base + 1, BT = base + 2, Ethernet = base + 3
 *
 * (only the last byte is added to, without carry, as generate_mac does).  Each
 * interface MAC is derived the first time it is read and then kept, so setting the
 * base MAC afterwards does not change it — on the chip too.
 *
 * The factory MAC is 02:12:34:56:78:ab, the address ESP-IDF v5.4's own Linux
 * target reports (components/esp_hw_support/port/linux/chip_info.c).  It is
 * locally administered, so a host device bridged onto a real network can never
 * collide with a shipped ESP32's (universally administered, Espressif OUI) MAC;
 * the derivation arithmetic is the same as for any base.  An ESP32 has no custom
 * MAC in eFuse unless one was burned: esp_efuse_mac_get_custom says so with
 * ESP_ERR_INVALID_VERSION, as mac_addr.c does for an unset MAC_CUSTOM_VER.
 */
#include "system/system.h"

#include <string.h>

#include "esp_log.h"
#include "esp_mac.h"

static const char *TAG = "system_api";   /* mac_addr.c's tag */

static const uint8_t s_factory_mac[6] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0xab };

/* The types an ESP32 has, with the MAC once set or derived. */
static struct {
    esp_mac_type_t type;
    bool set;
    uint8_t mac[6];
} s_table[] = {
    { ESP_MAC_WIFI_STA, false, { 0 } },
    { ESP_MAC_WIFI_SOFTAP, false, { 0 } },
    { ESP_MAC_BT, false, { 0 } },
    { ESP_MAC_ETH, false, { 0 } },
    { ESP_MAC_BASE, false, { 0 } },
    { ESP_MAC_EFUSE_FACTORY, false, { 0 } },
    { ESP_MAC_EFUSE_CUSTOM, false, { 0 } },
};
#define TABLE_COUNT (sizeof s_table / sizeof s_table[0])

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

/* get_idx: the entry of type, or -1 with mac_addr.c's error line (IEEE 802.15.4 types on an ESP32). */
static int index_of(esp_mac_type_t type)
{
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        if (s_table[i].type == type) {
            return (int)i;
        }
    }
    ESP_LOGE(TAG, "%d mac type is incorrect (not found)", (int)type);
    return -1;
}

/* get_mac_addr_from_mac_table: the eFuse-backed types (base, factory, custom) fill themselves on first use;
 * interface types are ESP_ERR_INVALID_MAC until set or derived.  Called with s_lock held. */
static esp_err_t table_read(uint8_t *mac, int i, bool silent)
{
    if (!s_table[i].set) {
        switch (s_table[i].type) {
        case ESP_MAC_BASE:
        case ESP_MAC_EFUSE_FACTORY:
            memcpy(s_table[i].mac, s_factory_mac, 6);
            break;
        case ESP_MAC_EFUSE_CUSTOM:
            ESP_LOGD(TAG, "No base MAC address in eFuse (version=0)");
            return ESP_ERR_INVALID_VERSION;
        default:
            if (!silent) {
                ESP_LOGE(TAG, "MAC address (type %d) is not set in mac table", (int)s_table[i].type);
            }
            return ESP_ERR_INVALID_MAC;
        }
        s_table[i].set = true;
    }
    memcpy(mac, s_table[i].mac, 6);
    return ESP_OK;
}

size_t esp_mac_addr_len_get(esp_mac_type_t type)
{
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        if (s_table[i].type == type) {
            return 6;
        }
    }
    return 0;
}

esp_err_t esp_iface_mac_addr_set(const uint8_t *mac, esp_mac_type_t type)
{
    if (mac == NULL) {
        ESP_LOGE(TAG, "mac address param is NULL");
        return ESP_ERR_INVALID_ARG;
    }
    int i = index_of(type);
    if (i < 0) {
        return ESP_ERR_NOT_SUPPORTED;
    }
    if (type == ESP_MAC_EFUSE_FACTORY || type == ESP_MAC_EFUSE_CUSTOM) {
        ESP_LOGE(TAG, "EFUSE MAC can not be set using this API");
        return ESP_ERR_INVALID_ARG;
    }
    if (type == ESP_MAC_BASE && (mac[0] & 0x01) != 0) {
        ESP_LOGE(TAG, "Base MAC must be a unicast MAC");
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&s_lock);
    memcpy(s_table[i].mac, mac, 6);
    s_table[i].set = true;
    pthread_mutex_unlock(&s_lock);
    return ESP_OK;
}

esp_err_t esp_base_mac_addr_set(const uint8_t *mac)
{
    return esp_iface_mac_addr_set(mac, ESP_MAC_BASE);
}

esp_err_t esp_base_mac_addr_get(uint8_t *mac)
{
    return esp_read_mac(mac, ESP_MAC_BASE);
}

esp_err_t esp_efuse_mac_get_custom(uint8_t *mac)
{
    if (mac == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    ESP_LOGD(TAG, "No base MAC address in eFuse (version=0)");
    return ESP_ERR_INVALID_VERSION;
}

esp_err_t esp_efuse_mac_get_default(uint8_t *mac)
{
    if (mac == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    memcpy(mac, s_factory_mac, 6);
    return ESP_OK;
}

esp_err_t esp_derive_local_mac(uint8_t *local_mac, const uint8_t *universal_mac)
{
    if (local_mac == NULL || universal_mac == NULL) {
        ESP_LOGE(TAG, "mac address param is NULL");
        return ESP_ERR_INVALID_ARG;
    }
    memcpy(local_mac, universal_mac, 6);
    local_mac[0] |= 0x02;               /* the locally-administered bit */
    if (local_mac[0] == universal_mac[0]) {
        local_mac[0] ^= 0x04;           /* it was set already: mac_addr.c flips the next bit instead */
    }
    return ESP_OK;
}

/* generate_mac for an ESP32 with four universal addresses: the interface's offset into the last byte. */
static esp_err_t derive(uint8_t *mac, const uint8_t *base, esp_mac_type_t type)
{
    static const uint8_t offsets[] = { [ESP_MAC_WIFI_STA] = 0, [ESP_MAC_WIFI_SOFTAP] = 1, [ESP_MAC_BT] = 2,
                                       [ESP_MAC_ETH] = 3 };
    if (type > ESP_MAC_ETH) {
        ESP_LOGE(TAG, "unsupported mac type");
        return ESP_ERR_NOT_SUPPORTED;
    }
    memcpy(mac, base, 6);
    mac[5] = (uint8_t)(mac[5] + offsets[type]);
    return ESP_OK;
}

esp_err_t esp_read_mac(uint8_t *mac, esp_mac_type_t type)
{
    if (mac == NULL) {
        ESP_LOGE(TAG, "mac address param is NULL");
        return ESP_ERR_INVALID_ARG;
    }
    int i = index_of(type);
    if (i < 0) {
        return ESP_ERR_NOT_SUPPORTED;
    }
    pthread_mutex_lock(&s_lock);
    /* Not set yet (or, for ESP_MAC_EFUSE_CUSTOM, not burned): derive it from the base MAC, as esp_read_mac does;
     * the eFuse types cannot be derived and end as ESP_ERR_NOT_SUPPORTED there too. */
    esp_err_t err = table_read(mac, i, true);
    if (err == ESP_OK) {
        pthread_mutex_unlock(&s_lock);
        return err;
    }
    uint8_t base[6];
    if (table_read(base, index_of(ESP_MAC_BASE), false) != ESP_OK) {
        pthread_mutex_unlock(&s_lock);
        ESP_LOGE(TAG, "Error reading BASE MAC address");
        return ESP_FAIL;
    }
    err = derive(mac, base, type);
    if (err == ESP_OK) {
        memcpy(s_table[i].mac, mac, 6);
        s_table[i].set = true;
    }
    pthread_mutex_unlock(&s_lock);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "MAC address generation error");
    }
    return err;
}
