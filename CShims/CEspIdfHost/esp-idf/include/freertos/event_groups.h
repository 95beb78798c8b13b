/*
 * freertos/event_groups.h on the host: FreeRTOS event groups as in ESP-IDF v5.4
 * (FreeRTOS-Kernel 10.5.1).  As on the chip, the top 8 bits of EventBits_t are
 * the kernel's (setting or waiting for them is a configASSERT), a set that
 * satisfies several waiters with xClearOnExit wakes all of them before clearing,
 * and the FromISR variants only queue the change for the timer service task
 * (xTimerPendFunctionCallFromISR), so it lands a little later.  What differs:
 * waiters are woken together rather than by priority.
 */
#ifndef ESP_IDF_HOST_EVENT_GROUPS_H
#define ESP_IDF_HOST_EVENT_GROUPS_H

#include "freertos/FreeRTOS.h"
#include "freertos/timers.h"

#ifdef __cplusplus
extern "C" {
#endif

struct EventGroupDef_t;
typedef struct EventGroupDef_t *EventGroupHandle_t;
typedef TickType_t EventBits_t;

EventGroupHandle_t xEventGroupCreate(void);
EventGroupHandle_t xEventGroupCreateStatic(StaticEventGroup_t *pxEventGroupBuffer);
EventBits_t xEventGroupWaitBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToWaitFor,
                                const BaseType_t xClearOnExit, const BaseType_t xWaitForAllBits,
                                TickType_t xTicksToWait);
EventBits_t xEventGroupClearBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear);
BaseType_t xEventGroupClearBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear);
EventBits_t xEventGroupSetBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet);
BaseType_t xEventGroupSetBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                                     BaseType_t *pxHigherPriorityTaskWoken);
EventBits_t xEventGroupSync(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                            const EventBits_t uxBitsToWaitFor, TickType_t xTicksToWait);
#define xEventGroupGetBits(xEventGroup) xEventGroupClearBits((xEventGroup), 0)
EventBits_t xEventGroupGetBitsFromISR(EventGroupHandle_t xEventGroup);
void vEventGroupDelete(EventGroupHandle_t xEventGroup);
void vEventGroupSetBitsCallback(void *pvEventGroup, const uint32_t ulBitsToSet);
void vEventGroupClearBitsCallback(void *pvEventGroup, const uint32_t ulBitsToClear);

#ifdef __cplusplus
}
#endif

#endif
