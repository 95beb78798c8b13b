/*
 * nvs_flash.h on the host.  There is no flash: every start is a freshly erased
 * NVS partition, so nvs_flash_init() succeeds and nvs_flash_erase() has nothing to do.
 */
#ifndef ESP_IDF_HOST_NVS_FLASH_H
#define ESP_IDF_HOST_NVS_FLASH_H

#include "esp_err.h"
#include "nvs.h"

#ifdef __cplusplus
extern "C" {
#endif

esp_err_t nvs_flash_init(void);
esp_err_t nvs_flash_erase(void);
esp_err_t nvs_flash_deinit(void);

#ifdef __cplusplus
}
#endif

#endif
