/*
 * Reports the firmware heap as ESP-IDF's heap API sees it, for HeapAndStackTests: run with --heap-kb 64.
 * Each line is "heap <step>: key=value ...".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_system.h"

static const char *TAG = "heap_probe";

void app_main(void)
{
    ESP_LOGI(TAG, "heap start: free=%u minimum=%u total=%u caps_free=%u", (unsigned)esp_get_free_heap_size(),
             (unsigned)esp_get_minimum_free_heap_size(), (unsigned)heap_caps_get_total_size(MALLOC_CAP_8BIT),
             (unsigned)heap_caps_get_free_size(MALLOC_CAP_8BIT | MALLOC_CAP_INTERNAL));
    uint8_t *block = malloc(10000);
    memset(block, 0x5A, 10000);
    ESP_LOGI(TAG, "heap held: free=%u largest=%u", (unsigned)esp_get_free_heap_size(),
             (unsigned)heap_caps_get_largest_free_block(MALLOC_CAP_DEFAULT));
    void *too_big = malloc(60000);
    void *zero = malloc(0);
    void *spiram = heap_caps_malloc(16, MALLOC_CAP_SPIRAM);
    uint8_t *grown = realloc(block, 20000);
    const int kept = grown != NULL && grown[9999] == 0x5A;
    ESP_LOGI(TAG, "heap refused: too_big_null=%d zero_null=%d spiram_null=%d spiram_free=%u realloc_kept=%d",
             too_big == NULL, zero == NULL, spiram == NULL, (unsigned)heap_caps_get_free_size(MALLOC_CAP_SPIRAM),
             kept);
    ESP_LOGI(TAG, "heap grown: free=%u", (unsigned)esp_get_free_heap_size());
    free(grown != NULL ? grown : block);
    void *many[64];
    int got = 0;
    while (got < 64 && (many[got] = calloc(1, 1024)) != NULL) {
        got++;
    }
    ESP_LOGI(TAG, "heap filled: blocks=%d free=%u", got, (unsigned)esp_get_free_heap_size());
    for (int i = 0; i < got; i++) {
        free(many[i]);
    }
    multi_heap_info_t info;
    heap_caps_get_info(&info, MALLOC_CAP_DEFAULT);
    ESP_LOGI(TAG, "heap end: free=%u minimum=%u info_free=%u info_allocated=%u", (unsigned)esp_get_free_heap_size(),
             (unsigned)esp_get_minimum_free_heap_size(), (unsigned)info.total_free_bytes,
             (unsigned)info.total_allocated_bytes);
}
