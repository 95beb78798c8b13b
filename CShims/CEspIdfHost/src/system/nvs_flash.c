/* nvs_flash on the host: no flash, so every start is a freshly erased, empty NVS (see nvs_flash.h). */
#include "system/system.h"

#include "nvs_flash.h"

esp_err_t nvs_flash_init(void)
{
    return ESP_OK;
}

esp_err_t nvs_flash_erase(void)
{
    return ESP_OK;
}

esp_err_t nvs_flash_deinit(void)
{
    return ESP_OK;
}
