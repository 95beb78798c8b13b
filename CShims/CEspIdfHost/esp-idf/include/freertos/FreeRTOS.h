/*
 * freertos/FreeRTOS.h on the host: FreeRTOS's base types and tick macros.
 *
 * Tick rate: 100 Hz, ESP-IDF's default CONFIG_FREERTOS_HZ, so tick arithmetic in a
 * driver behaves as on a default ESP32 build — including pdMS_TO_TICKS(5) == 0.
 * Ticks count from the device's start on CLOCK_MONOTONIC; blocking calls that take
 * ticks wait ticks * 10 ms.  Task priorities are recorded but not enforced: tasks
 * are pthreads under the host's scheduler.  Like ESP-IDF, it brings in sdkconfig.h.
 *
 * There are no interrupts on the host: portYIELD_FROM_ISR does nothing, and the
 * Static… types are opaque buffers the host does not write (its objects live on
 * the host's heap).
 */
#ifndef ESP_IDF_HOST_FREERTOS_H
#define ESP_IDF_HOST_FREERTOS_H

#include <assert.h>  /* ESP-IDF's FreeRTOSConfig.h includes it for configASSERT */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "sdkconfig.h"
/* v5.4's ESP32 portmacro.h brings these, so drivers that include only FreeRTOS get BIT0, IRAM_ATTR and the heap
 * figures */
#include "esp_attr.h"
#include "esp_bit_defs.h"
#include "esp_system.h"

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
#define errQUEUE_BLOCKED     (-4)
#define errQUEUE_YIELD       (-5)
#define errQUEUE_EMPTY ((BaseType_t)0)
#define errQUEUE_FULL  ((BaseType_t)0)

#define portMAX_DELAY ((TickType_t)0xffffffffUL)

#define configASSERT(a) assert(a)
#define configTICK_RATE_HZ ((TickType_t)CONFIG_FREERTOS_HZ)
#define configMAX_PRIORITIES 25
#define configMINIMAL_STACK_SIZE 768
#define configMAX_TASK_NAME_LEN 16
#define configUSE_TIMERS 1
#define configTIMER_TASK_PRIORITY 1       /* CONFIG_FREERTOS_TIMER_TASK_PRIORITY */
#define configTIMER_QUEUE_LENGTH 10       /* CONFIG_FREERTOS_TIMER_QUEUE_LENGTH */
#define configTIMER_TASK_STACK_DEPTH 2048 /* CONFIG_FREERTOS_TIMER_TASK_STACK_DEPTH */
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 1
#define configUSE_MUTEXES 1
#define configUSE_RECURSIVE_MUTEXES 1
#define configUSE_COUNTING_SEMAPHORES 1
#define configSUPPORT_STATIC_ALLOCATION 1
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#define INCLUDE_vTaskSuspend 1
#define INCLUDE_xTaskDelayUntil 1
#define INCLUDE_xTimerPendFunctionCall 1

#define portTICK_PERIOD_MS ((TickType_t)1000 / configTICK_RATE_HZ)
#define portTICK_RATE_MS portTICK_PERIOD_MS
#define portNUM_PROCESSORS 2

/* no interrupt context on the host: a task switch requested from an "ISR" is a no-op */
#define portYIELD_FROM_ISR(...) ((void)0)
#define portEND_SWITCHING_ISR(xSwitchRequired) ((void)(xSwitchRequired))

/* opaque buffers for the …Static creators; the host keeps its objects elsewhere */
typedef struct { void *pvDummy[24]; } StaticQueue_t;
typedef StaticQueue_t StaticSemaphore_t;
typedef struct { void *pvDummy[12]; } StaticEventGroup_t;
typedef struct { void *pvDummy[12]; } StaticTimer_t;
typedef struct { void *pvDummy[48]; } StaticTask_t;

#define pdMS_TO_TICKS(xTimeInMs) \
    ((TickType_t)(((TickType_t)(xTimeInMs) * (TickType_t)configTICK_RATE_HZ) / (TickType_t)1000U))
#define pdTICKS_TO_MS(xTicks) \
    ((TickType_t)(((TickType_t)(xTicks) * (TickType_t)1000U) / (TickType_t)configTICK_RATE_HZ))

#ifdef __cplusplus
}
#endif

#endif
