/*
 * A firmware written the way ESP-IDF v5.4 drivers are: it includes only what
 * they include and leans on what those headers bring on the chip —
 *
 *   memcpy, strlen, malloc, free   lwip/netif.h → lwip/opt.h → lwipopts.h
 *   likely, unlikely               esp_err.h → esp_compiler.h
 *   PRIu32, PRIx32                 esp_log.h → inttypes.h
 *   xSemaphoreCreateMutex, …       esp_event.h → freertos task/queue/semphr
 *   BIT0…BIT63, ESP_IDF_VERSION    esp_system.h → esp_bit_defs.h, esp_idf_version.h
 *   __containerof                  sys/cdefs.h (newlib's on the chip)
 *   MACSTR, MAC2STR                esp_mac.h
 *
 * It logs one "probe …" line per result for ESPIDFHeadersTests, then restarts.
 */
#include <sys/cdefs.h>

#include "esp_check.h"
#include "esp_event.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_system.h"
#include "lwip/netif.h"

static const char *TAG = "probe";

struct frame_slot {
    uint32_t magic;
    struct pbuf_custom custom;
};

static esp_err_t check_return(void)
{
    ESP_RETURN_ON_ERROR(esp_read_mac(NULL, ESP_MAC_ETH), TAG, "read mac failed: %d", 7);
    return ESP_OK;
}

static esp_err_t check_goto(int n)
{
    esp_err_t ret = ESP_OK;
    ESP_GOTO_ON_FALSE(likely(n < 2), ESP_ERR_INVALID_SIZE, err, TAG, "n=%d is too big", n);
    return ESP_OK;
err:
    ESP_LOGI(TAG, "probe goto: ret=%s", esp_err_to_name(ret));
    return ret;
}

static esp_err_t check_false(bool ok)
{
    ESP_RETURN_ON_FALSE(ok, ESP_ERR_INVALID_STATE, TAG, "not ok");
    return ESP_OK;
}

static void on_shutdown(void)
{
    ESP_LOGI(TAG, "probe shutdown handler ran");
}

static void log_mac(const char *name, esp_mac_type_t type)
{
    uint8_t mac[6] = { 0 };
    esp_err_t err = esp_read_mac(mac, type);
    ESP_LOGI(TAG, "probe mac %s: " MACSTR " %s", name, MAC2STR(mac), esp_err_to_name(err));
}

void app_main(void)
{
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 4, 0)
    const char *branch = "v5.4";
#else
    const char *branch = "older";
#endif
    ESP_LOGI(TAG, "probe version: %d.%d.%d val=0x%06x branch=%s idf=%s", ESP_IDF_VERSION_MAJOR,
             ESP_IDF_VERSION_MINOR, ESP_IDF_VERSION_PATCH, ESP_IDF_VERSION, branch, esp_get_idf_version());

    /* Interface MACs from the factory base, then a new base: only MACs not read yet follow it. */
    log_mac("sta", ESP_MAC_WIFI_STA);
    log_mac("ap", ESP_MAC_WIFI_SOFTAP);
    log_mac("eth", ESP_MAC_ETH);
    log_mac("base", ESP_MAC_BASE);
    log_mac("factory", ESP_MAC_EFUSE_FACTORY);
    log_mac("ieee802154", ESP_MAC_IEEE802154);
    uint8_t mac[6];
    ESP_LOGI(TAG, "probe custom: %s", esp_err_to_name(esp_efuse_mac_get_custom(mac)));
    const uint8_t multicast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    ESP_LOGI(TAG, "probe multicast base: %s", esp_err_to_name(esp_base_mac_addr_set(multicast)));
    const uint8_t base[6] = { 0x24, 0x0a, 0xc4, 0x12, 0x34, 0x56 };
    ESP_ERROR_CHECK(esp_base_mac_addr_set(base));
    log_mac("bt-after-set", ESP_MAC_BT);
    log_mac("eth-after-set", ESP_MAC_ETH);
    uint8_t local[6];
    esp_derive_local_mac(local, base);
    ESP_LOGI(TAG, "probe local: " MACSTR, MAC2STR(local));

    /* esp_check.h */
    ESP_LOGI(TAG, "probe check return: %s", esp_err_to_name(check_return()));
    check_goto(5);
    ESP_LOGI(TAG, "probe check false: %s ok=%s", esp_err_to_name(check_false(false)),
             esp_err_to_name(check_false(true)));

    /* esp_err.h */
    char name[64];
    ESP_LOGI(TAG, "probe names: %s | %s | %s", esp_err_to_name(0x5001), esp_err_to_name(0x500e),
             esp_err_to_name_r(0x7777, name, sizeof name));
    esp_err_t again = ESP_ERROR_CHECK_WITHOUT_ABORT(ESP_ERR_TIMEOUT);
    ESP_LOGI(TAG, "probe without abort: 0x%x", again);

    /* esp_log buffers, at an address the test can see */
    uint8_t *data = malloc(20);
    memcpy(data, "The way to get s", 16);
    memcpy(data + 16, "\x00\x01\xff!", 4);
    ESP_LOGI(TAG, "probe buffer: %p len=%u", (void *)data, (unsigned)strlen("The way to get s"));
    ESP_LOG_BUFFER_HEX(TAG, data, 20);
    ESP_LOG_BUFFER_CHAR(TAG, data, 16);
    ESP_LOG_BUFFER_HEXDUMP(TAG, data, 20, ESP_LOG_INFO);
    ESP_LOG_BUFFER_HEX_LEVEL(TAG, data, 4, ESP_LOG_DEBUG);  /* above the default level: not shown */
    free(data);
    ESP_EARLY_LOGW(TAG, "probe early: %" PRIu32, (uint32_t)42);
    ESP_DRAM_LOGE(TAG, "probe dram: %d", 43);

    /* __containerof, BITx, FreeRTOS through esp_event.h */
    struct frame_slot slot = { .magic = 0xC0FFEE };
    struct pbuf_custom *custom = &slot.custom;
    struct frame_slot *back = __containerof(custom, struct frame_slot, custom);
    ESP_LOGI(TAG, "probe containerof: ok=%d magic=0x%" PRIx32, back == &slot, back->magic);
    ESP_LOGI(TAG, "probe bits: BIT0=0x%x BIT7=0x%x BIT31=0x%x BIT32=0x%llx BIT63=0x%llx BIT(5)=0x%lx BIT64(40)=0x%llx",
             BIT0, BIT7, BIT31, (unsigned long long)BIT32, (unsigned long long)BIT63, BIT(5),
             (unsigned long long)BIT64(40));
    SemaphoreHandle_t lock = xSemaphoreCreateMutex();
    bool taken = xSemaphoreTake(lock, portMAX_DELAY) == pdTRUE;
    xSemaphoreGive(lock);
    vSemaphoreDelete(lock);
    vTaskDelay(1);
    ESP_LOGI(TAG, "probe rtos: mutex=%d", taken);

    /* esp_system.h */
    ESP_LOGI(TAG, "probe system: reset=%d poweron=%d free=%" PRIu32 " min=%" PRIu32, esp_reset_reason(),
             esp_reset_reason() == ESP_RST_POWERON, esp_get_free_heap_size(), esp_get_minimum_free_heap_size());
    ESP_ERROR_CHECK(esp_register_shutdown_handler(on_shutdown));
    ESP_LOGI(TAG, "probe twice: %s", esp_err_to_name(esp_register_shutdown_handler(on_shutdown)));
    ESP_LOGI(TAG, "probe restarting");
    esp_restart();
}
