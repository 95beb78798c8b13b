/*
 * freertos/queue.h on the host: only the QueueHandle_t type, because
 * uart_driver_install() takes a QueueHandle_t * for its optional event queue.
 * Queue functions are not provided: a driver that calls xQueueCreate or
 * xQueueReceive fails to compile, naming the function.
 */
#ifndef ESP_IDF_HOST_QUEUE_H
#define ESP_IDF_HOST_QUEUE_H

#include "freertos/FreeRTOS.h"

struct QueueDefinition;
typedef struct QueueDefinition *QueueHandle_t;

#endif
