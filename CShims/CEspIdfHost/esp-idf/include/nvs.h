/*
 * nvs.h on the host: NVS error codes only (nvs_flash_init returns them on ESP-IDF).
 * The key-value API (nvs_open, nvs_get_…) is not provided: using it is a compile error.
 */
#ifndef ESP_IDF_HOST_NVS_H
#define ESP_IDF_HOST_NVS_H

#include "esp_err.h"

#define ESP_ERR_NVS_BASE                0x1100
#define ESP_ERR_NVS_NOT_INITIALIZED     (ESP_ERR_NVS_BASE + 0x01)
#define ESP_ERR_NVS_NOT_FOUND           (ESP_ERR_NVS_BASE + 0x02)
#define ESP_ERR_NVS_NO_FREE_PAGES       (ESP_ERR_NVS_BASE + 0x0d)
#define ESP_ERR_NVS_NEW_VERSION_FOUND   (ESP_ERR_NVS_BASE + 0x10)

#endif
