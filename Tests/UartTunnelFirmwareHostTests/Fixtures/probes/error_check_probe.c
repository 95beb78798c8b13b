/* A firmware whose ESP_ERROR_CHECK fails: a multicast base MAC is refused with ESP_ERR_INVALID_ARG. */
#include "esp_err.h"
#include "esp_log.h"
#include "esp_mac.h"

void app_main(void)
{
    static const uint8_t multicast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    ESP_LOGI("probe", "setting a multicast base MAC");
    ESP_ERROR_CHECK(esp_base_mac_addr_set(multicast));
    ESP_LOGI("probe", "not reached");
}
