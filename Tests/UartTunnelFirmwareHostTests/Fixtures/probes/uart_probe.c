/*
 * Measures the host layer's UART and tick behaviour from inside the firmware,
 * step by step with the test on the other end of the link.  Each result is one
 * "probe ..." log line the test reads.
 */
#include <inttypes.h>

#include "driver/uart.h"
#include "esp_netif.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/pbuf.h"

static const char *TAG = "probe";

static uint32_t ms_since(int64_t start_us)
{
    return (uint32_t)((esp_timer_get_time() - start_us) / 1000);
}

static void wait_for_bytes(void)
{
    size_t buffered = 0;
    while (uart_get_buffered_data_len(UART_NUM_1, &buffered) == ESP_OK && buffered == 0) {
        vTaskDelay(1);
    }
}

static void probe_task(void *arg)
{
    (void)arg;
    uint8_t buf[16];
    int64_t t0 = esp_timer_get_time();
    int n = uart_read_bytes(UART_NUM_1, buf, 10, pdMS_TO_TICKS(300));
    ESP_LOGI(TAG, "probe empty: n=%d ms=%" PRIu32, n, ms_since(t0));

    ESP_LOGI(TAG, "probe ready: send 4");
    wait_for_bytes();
    t0 = esp_timer_get_time();
    n = uart_read_bytes(UART_NUM_1, buf, 10, pdMS_TO_TICKS(300));
    ESP_LOGI(TAG, "probe partial: n=%d ms=%" PRIu32 " first=%02x", n, ms_since(t0), buf[0]);

    ESP_LOGI(TAG, "probe ready: send 10");
    wait_for_bytes();
    vTaskDelay(pdMS_TO_TICKS(50));
    t0 = esp_timer_get_time();
    n = uart_read_bytes(UART_NUM_1, buf, 10, pdMS_TO_TICKS(300));
    ESP_LOGI(TAG, "probe full: n=%d ms=%" PRIu32, n, ms_since(t0));

    ESP_LOGI(TAG, "probe ready: not reading");
    vTaskDelay(pdMS_TO_TICKS(1500));
    size_t buffered = 0;
    uart_get_buffered_data_len(UART_NUM_1, &buffered);
    ESP_LOGI(TAG, "probe buffered=%u", (unsigned)buffered);

    /* a full frame from PBUF_POOL, as many ESP-IDF drivers allocate received frames */
    static uint8_t frame[1514];
    struct pbuf *p = pbuf_alloc(PBUF_RAW, sizeof frame, PBUF_POOL);
    ESP_LOGI(TAG, "probe pool: len=%u single=%d take=%d", p != NULL ? p->len : 0, p != NULL && p->next == NULL,
             p != NULL ? (int)pbuf_take(p, frame, sizeof frame) : -1);
    if (p != NULL) {
        pbuf_free(p);
    }

    ESP_LOGI(TAG, "probe ticks: hz=%u ms5=%u ms1000=%u", (unsigned)configTICK_RATE_HZ, (unsigned)pdMS_TO_TICKS(5),
             (unsigned)pdMS_TO_TICKS(1000));
    vTaskDelete(NULL);
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(uart_driver_install(UART_NUM_1, 256, 0, 0, NULL, 0));
    xTaskCreate(probe_task, "probe", 4096, NULL, 5, NULL);
}
