/*
 * A clean-room application in the shape ESP-IDF examples have: nvs_flash_init with the erase-and-retry idiom,
 * a boot counter in NVS, esp_reset_reason at boot, and a task on UART1 that answers the peer and restarts the
 * chip when told.  RuntimeRestartTests plays the peer:
 *
 *   '?'  answer one record whose payload is "boot N"            'R'  answer, then esp_restart()
 *   'F'  log 3000 lines (a console client may not read them), then answer "flooded N"
 *
 * A record is the tunnel's: 2-byte big-endian length, then a 60-byte Ethernet frame (EtherType 0x88b5, the
 * IEEE local experimental one) carrying the text.
 */
#include <stdio.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "nvs.h"
#include "nvs_flash.h"

static const char *TAG = "boot";
static uint32_t s_boots;

static void answer(const char *text)
{
    uint8_t record[2 + 60] = { 0x00, 60 };
    uint8_t *frame = record + 2;
    memset(frame, 0xff, 6);                                           /* broadcast */
    memcpy(frame + 6, (const uint8_t[]){ 0x02, 0, 0, 0, 0, 0x02 }, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    strncpy((char *)frame + 14, text, 60 - 14 - 1);
    uart_write_bytes(UART_NUM_1, record, sizeof record);
}

static void link_task(void *arg)
{
    (void)arg;
    char text[40];
    for (;;) {
        uint8_t command;
        if (uart_read_bytes(UART_NUM_1, &command, 1, portMAX_DELAY) != 1) {
            continue;
        }
        if (command == 'F') {
            for (int i = 0; i < 3000; i++) {
                ESP_LOGI(TAG, "flood line %04d ..........................................................", i);
            }
            snprintf(text, sizeof text, "flooded %u", (unsigned)s_boots);
        } else {
            snprintf(text, sizeof text, "boot %u", (unsigned)s_boots);
        }
        answer(text);
        if (command == 'R') {
            ESP_LOGI(TAG, "restarting on the peer's request");
            esp_restart();
        }
    }
}

void app_main(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    ESP_ERROR_CHECK(esp_netif_init());

    nvs_handle_t nvs;
    ESP_ERROR_CHECK(nvs_open("boot", NVS_READWRITE, &nvs));
    err = nvs_get_u32(nvs, "count", &s_boots);
    ESP_LOGI(TAG, "stored count: %s", esp_err_to_name(err));
    s_boots++;
    ESP_ERROR_CHECK(nvs_set_u32(nvs, "count", s_boots));
    ESP_ERROR_CHECK(nvs_commit(nvs));
    nvs_close(nvs);

    esp_reset_reason_t reason = esp_reset_reason();
    ESP_LOGI(TAG, "boot %u reason %s", (unsigned)s_boots,
             reason == ESP_RST_SW ? "ESP_RST_SW" : reason == ESP_RST_POWERON ? "ESP_RST_POWERON" : "other");
    printf("printf says boot %u\n", (unsigned)s_boots);

    ESP_ERROR_CHECK(uart_driver_install(UART_NUM_1, 1024, 1024, 0, NULL, 0));
    xTaskCreate(link_task, "link", 4096, NULL, 5, NULL);
}
