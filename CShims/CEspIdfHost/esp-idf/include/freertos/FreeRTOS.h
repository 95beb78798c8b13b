/*
 * freertos/FreeRTOS.h on the host: FreeRTOS's base types and tick macros.
 *
 * Tick rate: 100 Hz, ESP-IDF's default CONFIG_FREERTOS_HZ, so tick arithmetic in a
 * driver behaves as on a default ESP32 build — including pdMS_TO_TICKS(5) == 0.
 * Ticks count from the device's start on CLOCK_MONOTONIC; blocking calls that take
 * ticks wait ticks * 10 ms.  Task priorities are recorded but not enforced: tasks
 * are pthreads under the host's scheduler.  Like ESP-IDF, it brings in sdkconfig.h.
 */
#ifndef ESP_IDF_HOST_FREERTOS_H
#define ESP_IDF_HOST_FREERTOS_H

#include <assert.h>  /* ESP-IDF's FreeRTOSConfig.h includes it for configASSERT */
#include <stddef.h>
#include <stdint.h>
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t TickType_t;
typedef uint32_t StackType_t;

#define pdFALSE ((BaseType_t)0)
#define pdTRUE  ((BaseType_t)1)
#define pdFAIL  pdFALSE
#define pdPASS  pdTRUE
#define errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY (-1)

#define portMAX_DELAY ((TickType_t)0xffffffffUL)

#define configASSERT(a) assert(a)
#define configTICK_RATE_HZ ((TickType_t)CONFIG_FREERTOS_HZ)
#define configMAX_PRIORITIES 25
#define configMINIMAL_STACK_SIZE 768
#define configMAX_TASK_NAME_LEN 16

#define portTICK_PERIOD_MS ((TickType_t)1000 / configTICK_RATE_HZ)
#define portTICK_RATE_MS portTICK_PERIOD_MS
#define portNUM_PROCESSORS 2

#define pdMS_TO_TICKS(xTimeInMs) \
    ((TickType_t)(((TickType_t)(xTimeInMs) * (TickType_t)configTICK_RATE_HZ) / (TickType_t)1000U))
#define pdTICKS_TO_MS(xTicks) \
    ((TickType_t)(((TickType_t)(xTicks) * (TickType_t)1000U) / (TickType_t)configTICK_RATE_HZ))

#ifdef __cplusplus
}
#endif

#endif
