/*
 * esp_event_base.h on the host: ESP-IDF v5.4's event types
 * (components/esp_event/include/esp_event_base.h).
 */
#ifndef ESP_IDF_HOST_ESP_EVENT_BASE_H
#define ESP_IDF_HOST_ESP_EVENT_BASE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_EVENT_DECLARE_BASE(id) extern esp_event_base_t const id
#define ESP_EVENT_DEFINE_BASE(id) esp_event_base_t const id = #id

typedef const char *esp_event_base_t;
typedef void *esp_event_loop_handle_t;
typedef void (*esp_event_handler_t)(void *event_handler_arg, esp_event_base_t event_base, int32_t event_id,
                                    void *event_data);
typedef void *esp_event_handler_instance_t;

#define ESP_EVENT_ANY_BASE NULL
#define ESP_EVENT_ANY_ID -1

#ifdef __cplusplus
}
#endif

#endif
