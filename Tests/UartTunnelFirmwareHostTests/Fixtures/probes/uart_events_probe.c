/*
 * An event-queue UART driver in the style of ESP-IDF's uart_events example: UART1
 * installed with an event queue, a task that waits for uart_event_t and reacts.
 * Each phase logs "evp ready: <phase>" and the test (the link peer) sends only
 * then; each result is one "evp <phase>: ..." line the test reads.
 */
#include <inttypes.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/task.h"

#define PORT UART_NUM_1
#define RING_SIZE 512
#define EVENT_QUEUE 64
#define DATA_TOTAL 1000
#define PATTERN_TOTAL 316   /* "A" * 200, "+++", "B" * 100, "+++", "C" * 10 */
#define QFULL_RING 4096
#define QFULL_QUEUE 4

static const char *TAG = "evp";
static QueueHandle_t s_queue;
static uint8_t s_buf[4096];

static uint32_t fnv1a(uint32_t hash, const uint8_t *bytes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        hash = (hash ^ bytes[i]) * 16777619u;
    }
    return hash;
}

/* UART_DATA events until `total` bytes were read: sizes, timeout flags and a hash of the bytes */
static void phase_data(void)
{
    ESP_LOGI(TAG, "evp ready: data");
    int total = 0, events = 0, timeouts = 0, bad = 0, other = 0;
    uint32_t hash = 2166136261u;
    uart_event_t event;
    while (total < DATA_TOTAL && xQueueReceive(s_queue, &event, portMAX_DELAY)) {
        if (event.type != UART_DATA) {
            other++;
            continue;
        }
        events++;
        if (event.timeout_flag) {
            timeouts++;
        } else if (event.size != 120) {
            bad++;   /* an RX FIFO full read moves exactly the threshold */
        }
        int n = uart_read_bytes(PORT, s_buf, event.size, portMAX_DELAY);
        hash = fnv1a(hash, s_buf, n > 0 ? (size_t)n : 0);
        total += n;
    }
    ESP_LOGI(TAG, "evp data: total=%d events=%d timeouts=%d bad=%d other=%d hash=%08" PRIx32, total, events,
             timeouts, bad, other, hash);
}

/* as the uart_events example: on UART_PATTERN_DET read up to the pattern, then the pattern */
static void phase_pattern(void)
{
    ESP_ERROR_CHECK(uart_enable_pattern_det_baud_intr(PORT, '+', 3, 9, 0, 0));
    ESP_ERROR_CHECK(uart_pattern_queue_reset(PORT, 20));
    ESP_LOGI(TAG, "evp ready: pattern");
    int consumed = 0, patterns = 0;
    uart_event_t event;
    while (consumed < PATTERN_TOTAL && xQueueReceive(s_queue, &event, portMAX_DELAY)) {
        if (event.type == UART_DATA) {
            consumed += uart_read_bytes(PORT, s_buf, event.size, portMAX_DELAY);
        } else if (event.type == UART_PATTERN_DET) {
            size_t buffered = 0;
            uart_get_buffered_data_len(PORT, &buffered);
            int pos = uart_pattern_pop_pos(PORT);
            if (pos < 0) {
                ESP_LOGI(TAG, "evp pattern lost: size=%u buffered=%u", (unsigned)event.size, (unsigned)buffered);
                continue;
            }
            int before = uart_read_bytes(PORT, s_buf, pos, portMAX_DELAY);
            int got = uart_read_bytes(PORT, s_buf + before, 3, portMAX_DELAY);
            s_buf[before + got] = 0;
            ESP_LOGI(TAG, "evp pattern: at=%d pos=%d size=%u buffered=%u bytes=%s", consumed + pos, pos,
                     (unsigned)event.size, (unsigned)buffered, (const char *)s_buf + before);
            consumed += before + got;
            patterns++;
        }
    }
    ESP_LOGI(TAG, "evp pattern done: consumed=%d patterns=%d next=%d", consumed, patterns,
             uart_pattern_get_pos(PORT));
    uart_disable_pattern_det_intr(PORT);
}

/* stop reading: the ring fills (UART_BUFFER_FULL), the FIFO overflows (UART_FIFO_OVF); then read it all */
static void phase_full(void)
{
    ESP_LOGI(TAG, "evp ready: full");
    int stash = -1, ovf = 0;
    size_t buffered = 0;
    uart_event_t event;
    while (ovf == 0 && xQueueReceive(s_queue, &event, portMAX_DELAY)) {
        if (event.type == UART_BUFFER_FULL && stash < 0) {
            stash = (int)event.size;
            uart_get_buffered_data_len(PORT, &buffered);   /* frozen while nobody reads */
        } else if (event.type == UART_FIFO_OVF) {
            ovf++;
        }
    }
    /* the stream ends with "END!", and its tail survives in the FIFO */
    size_t n = 0;
    while (n < 4 || memcmp(s_buf + n - 4, "END!", 4) != 0) {
        int got = uart_read_bytes(PORT, s_buf + n, sizeof s_buf - n, pdMS_TO_TICKS(100));
        if (got < 0 || n + (size_t)got >= sizeof s_buf) {
            break;
        }
        n += (size_t)got;
    }
    while (xQueueReceive(s_queue, &event, 0)) {
        ovf += event.type == UART_FIFO_OVF;
    }
    ESP_LOGI(TAG, "evp full: buffered=%u stash=%d ovf=%d read=%u", (unsigned)buffered, stash, ovf, (unsigned)n);
    for (size_t line = 0; line < n; line += 64) {
        char hex[129];
        size_t len = n - line < 64 ? n - line : 64;
        for (size_t i = 0; i < len; i++) {
            static const char digits[] = "0123456789abcdef";
            hex[2 * i] = digits[s_buf[line + i] >> 4];
            hex[2 * i + 1] = digits[s_buf[line + i] & 15];
        }
        hex[2 * len] = 0;
        ESP_LOGI(TAG, "evp dump %04u: %s", (unsigned)line, hex);
    }
    ESP_LOGI(TAG, "evp full done");
}

/* a 4-event queue nobody drains: events are dropped, the data are not */
static void phase_queue_full(void)
{
    ESP_ERROR_CHECK(uart_driver_delete(PORT));
    ESP_ERROR_CHECK(uart_driver_install(PORT, QFULL_RING, 0, QFULL_QUEUE, &s_queue, 0));
    ESP_LOGI(TAG, "evp ready: qfull");
    size_t buffered = 0;
    while (uart_get_buffered_data_len(PORT, &buffered) == ESP_OK && buffered < DATA_TOTAL) {
        vTaskDelay(1);
    }
    unsigned waiting = (unsigned)uxQueueMessagesWaiting(s_queue);
    int sum = 0;
    uart_event_t event;
    while (xQueueReceive(s_queue, &event, 0)) {
        sum += (int)event.size;
    }
    int n = uart_read_bytes(PORT, s_buf, sizeof s_buf, 0);
    ESP_LOGI(TAG, "evp qfull: waiting=%u sum=%d read=%d hash=%08" PRIx32, waiting, sum, n,
             fnv1a(2166136261u, s_buf, n > 0 ? (size_t)n : 0));
}

static void probe_task(void *arg)
{
    (void)arg;
    phase_data();
    phase_pattern();
    phase_full();
    phase_queue_full();
    vTaskDelete(NULL);
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    const uart_config_t config = {
        .baud_rate = 115200,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    ESP_ERROR_CHECK(uart_param_config(PORT, &config));
    ESP_ERROR_CHECK(uart_driver_install(PORT, RING_SIZE, 0, EVENT_QUEUE, &s_queue, 0));
    uint32_t baud = 0;
    uart_get_baudrate(PORT, &baud);
    ESP_LOGI(TAG, "evp baud=%" PRIu32, baud);
    xTaskCreate(probe_task, "evp", 8192, NULL, 12, NULL);
}
