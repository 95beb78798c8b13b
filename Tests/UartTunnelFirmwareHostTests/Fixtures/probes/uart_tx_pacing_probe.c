/*
 * Measures how long uart_write_bytes and uart_wait_tx_done block on the link UART, on the
 * host clock (esp_timer_get_time).  The peer sends one byte: on 'S' the probe first writes
 * records one by one until the peer sends 'G' (to fill a stalled peer's queue); on 'G' it
 * starts at once.  Then it writes a burst of tunnel
 * records in one call, with a 2048-byte TX ring, then (driver reinstalled) with none,
 * and logs "TXTIME ring R bytes N write_us W done_us D" for each.
 */
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#define FRAME_LEN 1000
#define RECORD_LEN (FRAME_LEN + 2)

static const char *TAG = "tx_pacing";
#define BURST 64
static uint8_t s_burst[BURST * RECORD_LEN];

static void install(int tx_ring)
{
    ESP_ERROR_CHECK(uart_driver_install(UART_NUM_1, 2048, tx_ring, 0, NULL, 0));
}

static void measure(int tx_ring, int records)
{
    size_t bytes = (size_t)records * RECORD_LEN;
    int64_t start = esp_timer_get_time();
    int written = uart_write_bytes(UART_NUM_1, s_burst, bytes);
    int64_t wrote = esp_timer_get_time();
    esp_err_t done = uart_wait_tx_done(UART_NUM_1, portMAX_DELAY);
    int64_t idle = esp_timer_get_time();
    ESP_LOGI(TAG, "TXTIME ring %d bytes %d write_us %lld done_us %lld status %d", tx_ring, written,
             (long long)(wrote - start), (long long)(idle - start), (int)done);
}

static void pacing_task(void *arg)
{
    (void)arg;
    uint8_t trigger;
    while (uart_read_bytes(UART_NUM_1, &trigger, 1, portMAX_DELAY) != 1) {
    }
    int prefilled = 0;
    while (trigger == 'S' && prefilled < 20000) {   /* until the peer sends 'G' */
        uart_write_bytes(UART_NUM_1, s_burst, RECORD_LEN);
        prefilled++;
        if (uart_read_bytes(UART_NUM_1, &trigger, 1, 0) == 1 && trigger == 'G') {
            break;
        }
    }
    uart_wait_tx_done(UART_NUM_1, portMAX_DELAY);
    ESP_LOGI(TAG, "TXTIME prefilled %d records", prefilled);
    measure(2048, BURST);
    ESP_ERROR_CHECK(uart_driver_delete(UART_NUM_1));
    install(0);
    measure(0, BURST / 2);
    ESP_LOGI(TAG, "TXTIME finished");
    vTaskDelete(NULL);
}

void app_main(void)
{
    /* records of a broadcast Ethernet frame with a local experimental EtherType (0x88B5) */
    for (int r = 0; r < BURST; r++) {
        uint8_t *record = s_burst + r * RECORD_LEN;
        memset(record, 0, RECORD_LEN);
        record[0] = FRAME_LEN >> 8;
        record[1] = FRAME_LEN & 0xFF;
        memset(record + 2, 0xFF, 6);
        const uint8_t source[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
        memcpy(record + 8, source, 6);
        record[14] = 0x88;
        record[15] = 0xB5;
    }
    uart_config_t config = {
        .baud_rate = 115200, .data_bits = UART_DATA_8_BITS, .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1, .flow_ctrl = UART_HW_FLOWCTRL_DISABLE, .source_clk = UART_SCLK_DEFAULT,
    };
    ESP_ERROR_CHECK(uart_param_config(UART_NUM_1, &config));
    install(2048);
    xTaskCreate(pacing_task, "pacing", 4096, NULL, 5, NULL);
}
