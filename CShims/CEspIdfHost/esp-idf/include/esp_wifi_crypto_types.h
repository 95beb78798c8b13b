/* esp_wifi_crypto_types.h on the host: the supplicant's crypto table is opaque here (the host's radio does not
 * run WPA); WIFI_INIT_CONFIG_DEFAULT still names it, as on the chip. */
#ifndef ESP_IDF_HOST_ESP_WIFI_CRYPTO_TYPES_H
#define ESP_IDF_HOST_ESP_WIFI_CRYPTO_TYPES_H

#include <stdint.h>

typedef struct {
    uint32_t size;
    uint32_t version;
} wpa_crypto_funcs_t;

#endif
