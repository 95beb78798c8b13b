/*
 * nvs_flash.h on the host (ESP-IDF v5.4's components/nvs_flash/include/nvs_flash.h): the "nvs" partition is a
 * file (see nvs.h).  nvs_flash_init reads it (a file it cannot parse: ESP_ERR_NVS_NO_FREE_PAGES, with the line
 * logged), nvs_flash_erase empties it.  Only the default partition exists; no encryption.
 */
#ifndef ESP_IDF_HOST_NVS_FLASH_H
#define ESP_IDF_HOST_NVS_FLASH_H

#include "esp_err.h"
#include "nvs.h"

#ifdef __cplusplus
extern "C" {
#endif

esp_err_t nvs_flash_init(void);
esp_err_t nvs_flash_init_partition(const char *partition_label);
esp_err_t nvs_flash_deinit(void);
esp_err_t nvs_flash_deinit_partition(const char *partition_label);
esp_err_t nvs_flash_erase(void);
esp_err_t nvs_flash_erase_partition(const char *part_name);

#ifdef __cplusplus
}
#endif

#endif
