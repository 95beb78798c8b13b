/*
 * freertos/task.h on the host: tasks are detached pthreads.
 *
 *  - xTaskCreate's stack depth is in bytes, as on ESP-IDF; the host gives every
 *    task at least 256 KB because host libc calls need far more than an ESP32's
 *    few KB.  A driver that overflows its ESP32 stack is not caught here.
 *  - Priorities and core affinity are recorded, not enforced.
 *  - vTaskDelete(NULL) ends the calling task at once.  vTaskDelete(other) marks
 *    the task; it ends at its next host-layer blocking call (vTaskDelay,
 *    uart_read_bytes), because a pthread can not be killed safely from outside.
 */
#ifndef ESP_IDF_HOST_TASK_H
#define ESP_IDF_HOST_TASK_H

#include "freertos/FreeRTOS.h"

#ifdef __cplusplus
extern "C" {
#endif

struct esp_idf_host_task;
typedef struct esp_idf_host_task *TaskHandle_t;
typedef void (*TaskFunction_t)(void *);

#define tskIDLE_PRIORITY ((UBaseType_t)0U)
#define tskNO_AFFINITY ((BaseType_t)0x7FFFFFFF)

BaseType_t xTaskCreate(TaskFunction_t pxTaskCode, const char *const pcName, const uint32_t usStackDepth,
                       void *const pvParameters, UBaseType_t uxPriority, TaskHandle_t *const pxCreatedTask);
BaseType_t xTaskCreatePinnedToCore(TaskFunction_t pxTaskCode, const char *const pcName,
                                   const uint32_t usStackDepth, void *const pvParameters,
                                   UBaseType_t uxPriority, TaskHandle_t *const pxCreatedTask,
                                   const BaseType_t xCoreID);
void vTaskDelete(TaskHandle_t xTaskToDelete);
void vTaskDelay(const TickType_t xTicksToDelay);
TickType_t xTaskGetTickCount(void);
TaskHandle_t xTaskGetCurrentTaskHandle(void);
char *pcTaskGetName(TaskHandle_t xTaskToQuery);
UBaseType_t uxTaskPriorityGet(TaskHandle_t xTask);

#ifdef __cplusplus
}
#endif

#endif
