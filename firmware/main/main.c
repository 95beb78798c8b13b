/*
 * uart-tunnel firmware: an ESP32 web server reachable from the host over a
 * UART IP tunnel (UART1 <-> QEMU chardev TCP 5556 <-> tools/serial_tun_bridge.py
 * <-> tun0 192.168.100.1/24).
 */
#include "esp_err.h"
#include "esp_log.h"
#include "nvs_flash.h"
#include "wifi_manager_sim.h"

static const char *TAG = "main";

void app_main(void)
{
    /* NVS first, as a Wi-Fi build would need it; erase once if its layout changed */
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);

    ESP_ERROR_CHECK(wifi_manager_sim_init());
    ESP_LOGI(TAG, "up; try: ping 192.168.100.2 / curl http://192.168.100.2/api/status");
}
