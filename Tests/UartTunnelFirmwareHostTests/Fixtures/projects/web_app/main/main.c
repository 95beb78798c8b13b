/* web_app: NVS, the UART tunnel netif, then the web UI. */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "nvs_flash.h"
#include "greeting.h"
#include "netif_uart_tunnel_sim.h"
#include "store.h"
#include "webui.h"

static const char *TAG = "web_app";

void app_main(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());

    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    ESP_ERROR_CHECK(netif_uart_tunnel_init(&tunnel));
    ESP_ERROR_CHECK(webui_start(greeting()));
    ESP_LOGI(TAG, "up, greeting \"%s\", store namespace \"%s\"", greeting(), CONFIG_STORE_NAMESPACE);
}
