/*
 * The NVS API's answers, one "probe <name>: <answer>" line each, for RuntimeNVSTests.  Written as application
 * code uses NVS (open, get with a default, set, commit, close), plus the edges an application meets: read-only
 * handles, a key of 16 characters, a string buffer one byte short, a type it did not store, a full partition.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "nvs.h"
#include "nvs_flash.h"

static const char *TAG = "probe";

#define PROBE(name, call) ESP_LOGI(TAG, "probe %s: %s", name, esp_err_to_name(call))

void app_main(void)
{
    nvs_handle_t h, ro;
    PROBE("open before init", nvs_open("app", NVS_READWRITE, &h));
    PROBE("init", nvs_flash_init());
    PROBE("init again", nvs_flash_init());
    PROBE("open read-only missing namespace", nvs_open("app", NVS_READONLY, &ro));
    PROBE("open namespace of 16", nvs_open("namespace_of_16c", NVS_READWRITE, &h));
    PROBE("open", nvs_open("app", NVS_READWRITE, &h));
    PROBE("open read-only", nvs_open("app", NVS_READONLY, &ro));

    PROBE("set i8", nvs_set_i8(h, "i8", -5));
    PROBE("set u8", nvs_set_u8(h, "u8", 250));
    PROBE("set i16", nvs_set_i16(h, "i16", -30000));
    PROBE("set u16", nvs_set_u16(h, "u16", 65000));
    PROBE("set i32", nvs_set_i32(h, "i32", INT32_MIN));
    PROBE("set u32", nvs_set_u32(h, "u32", UINT32_MAX));
    PROBE("set i64", nvs_set_i64(h, "i64", INT64_MIN));
    PROBE("set u64", nvs_set_u64(h, "u64", UINT64_MAX));
    PROBE("set str", nvs_set_str(h, "ssid", "caf\xc3\xa9 \"net\""));
    PROBE("set blob", nvs_set_blob(h, "blob", (const uint8_t[]){ 0x00, 0x01, 0xfe, 0xff }, 4));
    PROBE("set key of 16", nvs_set_u8(h, "key_of_16_chars!", 1));
    PROBE("set through read-only", nvs_set_u8(ro, "u8", 1));
    PROBE("commit", nvs_commit(h));

    int8_t i8 = 0; uint8_t u8 = 0; int16_t i16 = 0; uint16_t u16 = 0;
    int32_t i32 = 0; uint32_t u32 = 0; int64_t i64 = 0; uint64_t u64 = 0;
    nvs_get_i8(ro, "i8", &i8); nvs_get_u8(ro, "u8", &u8); nvs_get_i16(ro, "i16", &i16);
    nvs_get_u16(ro, "u16", &u16); nvs_get_i32(ro, "i32", &i32); nvs_get_u32(ro, "u32", &u32);
    nvs_get_i64(ro, "i64", &i64); nvs_get_u64(ro, "u64", &u64);
    ESP_LOGI(TAG, "probe values: %d %u %d %u %" PRId32 " %" PRIu32 " %" PRId64 " %" PRIu64, i8, u8, i16, u16,
             i32, u32, i64, u64);

    size_t length = 0;
    PROBE("str length query", nvs_get_str(ro, "ssid", NULL, &length));
    ESP_LOGI(TAG, "probe str length: %u", (unsigned)length);
    char text[32];
    size_t short_length = length - 1;
    PROBE("str one byte short", nvs_get_str(ro, "ssid", text, &short_length));
    ESP_LOGI(TAG, "probe short length after: %u", (unsigned)short_length);
    length = sizeof text;
    PROBE("str", nvs_get_str(ro, "ssid", text, &length));
    ESP_LOGI(TAG, "probe str value: [%s] %u", text, (unsigned)length);
    uint8_t blob[8];
    length = sizeof blob;
    PROBE("blob", nvs_get_blob(ro, "blob", blob, &length));
    ESP_LOGI(TAG, "probe blob value: %u %02x%02x%02x%02x", (unsigned)length, blob[0], blob[1], blob[2], blob[3]);

    PROBE("get u8 as u16", nvs_get_u16(ro, "u8", &u16));
    PROBE("get missing", nvs_get_u32(ro, "missing", &u32));
    nvs_type_t type = NVS_TYPE_ANY;
    PROBE("find blob", nvs_find_key(ro, "blob", &type));
    ESP_LOGI(TAG, "probe blob type: 0x%02x", type);
    PROBE("set u8 key as str", nvs_set_str(h, "u8", "now a string"));
    PROBE("get replaced u8", nvs_get_u8(ro, "u8", &u8));

    PROBE("erase missing", nvs_erase_key(h, "missing"));
    PROBE("erase i8", nvs_erase_key(h, "i8"));
    PROBE("get erased", nvs_get_i8(ro, "i8", &i8));
    PROBE("erase through read-only", nvs_erase_key(ro, "u16"));

    nvs_stats_t stats;
    PROBE("stats", nvs_get_stats(NULL, &stats));
    ESP_LOGI(TAG, "probe stats figures: used=%u free=%u available=%u total=%u namespaces=%u", (unsigned)stats.used_entries,
             (unsigned)stats.free_entries, (unsigned)stats.available_entries, (unsigned)stats.total_entries,
             (unsigned)stats.namespace_count);

    int entries = 0;
    nvs_iterator_t it = NULL;
    esp_err_t err = nvs_entry_find(NVS_DEFAULT_PART_NAME, "app", NVS_TYPE_ANY, &it);
    while (err == ESP_OK) {
        entries++;
        err = nvs_entry_next(&it);
    }
    ESP_LOGI(TAG, "probe iterated: %d entries, end %s, iterator %s", entries, esp_err_to_name(err),
             it == NULL ? "NULL" : "set");

    static char big[4001];
    memset(big, 'x', 4000);
    PROBE("str of 4000", nvs_set_str(h, "big", big));
    big[3999] = '\0';
    PROBE("str of 3999", nvs_set_str(h, "big", big));
    int filled = 0;
    for (; filled < 100; filled++) {
        char key[16];
        snprintf(key, sizeof key, "fill%d", filled);
        err = nvs_set_str(h, key, big);
        if (err != ESP_OK) {
            break;
        }
    }
    ESP_LOGI(TAG, "probe full after %d more: %s", filled, esp_err_to_name(err));

    PROBE("erase all through read-only", nvs_erase_all(ro));
    PROBE("erase all", nvs_erase_all(h));
    PROBE("deinit", nvs_flash_deinit());
    PROBE("commit after deinit", nvs_commit(h));
    PROBE("deinit again", nvs_flash_deinit());
}
