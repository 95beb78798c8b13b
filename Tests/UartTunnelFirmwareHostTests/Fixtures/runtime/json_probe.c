/* cJSON as ESP-IDF's json component exposes it (#include "cJSON.h"), from a C file given with --driver. */
#include <stdlib.h>

#include "cJSON.h"
#include "esp_log.h"

static const char *TAG = "probe";

void app_main(void)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "name", "ada");
    cJSON_AddNumberToObject(root, "boots", 3);
    char *text = cJSON_PrintUnformatted(root);
    ESP_LOGI(TAG, "probe printed: %s", text);
    cJSON *parsed = cJSON_Parse("{\"ssid\":\"home\",\"channel\":6}");
    ESP_LOGI(TAG, "probe parsed: %s %d", cJSON_GetObjectItem(parsed, "ssid")->valuestring,
             cJSON_GetObjectItem(parsed, "channel")->valueint);
    free(text);
    cJSON_Delete(parsed);
    cJSON_Delete(root);
}
