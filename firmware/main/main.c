/*
 * uart-tunnel firmware: an ESP32 web server reachable from the host over a
 * UART IP tunnel (UART1 <-> QEMU chardev TCP 5556 <-> tools/serial_tun_bridge.py
 * <-> tun0 192.168.100.1/24), or on a board over Wi-Fi (CONFIG_TARGET_EMULATOR=n).
 */
#include "esp_err.h"
#include "esp_log.h"
#include "nvs_flash.h"
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER
#include "wifi_manager.h"
#else
#include "wifi_manager_sim.h"
#endif

static const char *TAG = "main";

void app_main(void)
{
    /* NVS first: the Wi-Fi manager keeps its network there; erase once if its layout changed */
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);

#if CONFIG_WIFI_MANAGER
    ESP_ERROR_CHECK(wifi_manager_start());
    ESP_LOGI(TAG, "up; the status page follows the station's address (or the setup AP's page)");
#else
    ESP_ERROR_CHECK(wifi_manager_sim_init());
    ESP_LOGI(TAG, "up; try: ping 192.168.100.2 / curl http://192.168.100.2/api/status");
#endif
}
