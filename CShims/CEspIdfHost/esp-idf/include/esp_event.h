/*
 * esp_event.h on the host: the default event loop.
 *
 * Handlers run on one "sys_evt" task in posting order, as ESP-IDF's default loop
 * runs them.  esp_netif posts IP_EVENT_ETH_GOT_IP (the interface's get_ip_event)
 * when a static address comes up.  User-created loops (esp_event_loop_create,
 * esp_event_post_to, …) are not provided: using one is a compile error naming it.
 *
 * Includes as ESP-IDF v5.4's components/esp_event/include/esp_event.h: esp_err.h,
 * FreeRTOS with task, queue and semphr, and esp_event_base.h, so drivers that
 * include only esp_event.h (or esp_netif.h) find xTaskCreate, xQueueCreate and
 * xSemaphoreCreateMutex as on the chip.
 */
#ifndef ESP_IDF_HOST_ESP_EVENT_H
#define ESP_IDF_HOST_ESP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"
#include "esp_event_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ESP_OK, or ESP_ERR_INVALID_STATE when the default loop already exists. */
esp_err_t esp_event_loop_create_default(void);
esp_err_t esp_event_loop_delete_default(void);

esp_err_t esp_event_handler_register(esp_event_base_t event_base, int32_t event_id,
                                     esp_event_handler_t event_handler, void *event_handler_arg);
esp_err_t esp_event_handler_unregister(esp_event_base_t event_base, int32_t event_id,
                                       esp_event_handler_t event_handler);
esp_err_t esp_event_handler_instance_register(esp_event_base_t event_base, int32_t event_id,
                                              esp_event_handler_t event_handler, void *event_handler_arg,
                                              esp_event_handler_instance_t *instance);
esp_err_t esp_event_handler_instance_unregister(esp_event_base_t event_base, int32_t event_id,
                                                esp_event_handler_instance_t instance);

/** Copies event_data (event_data_size bytes) and queues the event; ticks_to_wait is not needed (unbounded queue). */
esp_err_t esp_event_post(esp_event_base_t event_base, int32_t event_id, const void *event_data,
                         size_t event_data_size, TickType_t ticks_to_wait);

#ifdef __cplusplus
}
#endif

#endif
