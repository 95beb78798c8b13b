/*
 * FreeRTOS event groups as FreeRTOS-Kernel 10.5.1 (ESP-IDF v5.4) has them.  A
 * blocked waiter is a record on the group's list; xEventGroupSetBits decides for
 * every waiter, hands each satisfied one the bits as they were, and only then
 * clears the bits of the satisfied xClearOnExit waiters — so two waiters on the
 * same bit both wake, as on the chip.
 */
#include "rtos_internal.h"

#include <stdlib.h>

#include "freertos/event_groups.h"
#include "freertos/timers.h"

/* event_groups.c: the top byte of a 32-bit EventBits_t belongs to the kernel */
#define CONTROL_BITS ((EventBits_t)0xff000000UL)

struct waiter {
    EventBits_t bits;
    bool all;
    bool clear;
    bool done;           /* unblocked by a set (or the group's deletion) */
    EventBits_t result;  /* the group's bits when it was unblocked */
    struct waiter *next;
};

struct EventGroupDef_t {
    EventBits_t bits;
    pthread_cond_t changed;
    struct waiter *waiting;
    unsigned waiters;
    bool deleted;
};

static bool satisfied(EventBits_t current, EventBits_t wanted, bool all)
{
    return all ? (current & wanted) == wanted : (current & wanted) != 0;
}

EventGroupHandle_t xEventGroupCreate(void)
{
    struct EventGroupDef_t *group = calloc(1, sizeof *group);
    if (group != NULL) {
        host_cond_init(&group->changed);
    }
    return group;
}

EventGroupHandle_t xEventGroupCreateStatic(StaticEventGroup_t *pxEventGroupBuffer)
{
    HOST_FREERTOS_ASSERT(pxEventGroupBuffer != NULL, "xEventGroupCreateStatic", "event_groups.c:130");
    return xEventGroupCreate();
}

static void destroy(struct EventGroupDef_t *group)
{
    pthread_cond_destroy(&group->changed);
    free(group);
}

static void unlink_waiter(struct EventGroupDef_t *group, struct waiter *self)
{
    for (struct waiter **at = &group->waiting; *at != NULL; at = &(*at)->next) {
        if (*at == self) {
            *at = self->next;
            return;
        }
    }
}

/* Blocks the caller until a set satisfies it (returns the bits then) or the timeout; kernel lock held. */
static EventBits_t block(struct EventGroupDef_t *group, EventBits_t wanted, bool all, bool clear, TickType_t ticks,
                         bool *ended)
{
    struct waiter self = { .bits = wanted, .all = all, .clear = clear, .next = group->waiting };
    group->waiting = &self;
    group->waiters++;
    host_timeout_t timeout = host_timeout_from_ticks(ticks);
    host_wait_result_t result = HOST_WAIT_WOKEN;
    while (!self.done && result == HOST_WAIT_WOKEN) {
        result = host_kernel_wait(&group->changed, &timeout);
    }
    group->waiters--;
    *ended = result == HOST_WAIT_ENDED && !self.done;
    if (group->deleted) {
        if (group->waiters == 0) {
            destroy(group);
        }
        return self.result;
    }
    unlink_waiter(group, &self);
    if (self.done) {
        return self.result;
    }
    /* xEventGroupWaitBits on timeout: the current bits; clear them if they happen to satisfy the wait now */
    EventBits_t current = group->bits;
    if (!*ended && satisfied(current, wanted, all) && clear) {
        group->bits &= ~wanted;
    }
    return current;
}

EventBits_t xEventGroupWaitBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToWaitFor,
                                const BaseType_t xClearOnExit, const BaseType_t xWaitForAllBits,
                                TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT(xEventGroup != NULL, "xEventGroupWaitBits", "event_groups.c:331");
    HOST_FREERTOS_ASSERT((uxBitsToWaitFor & CONTROL_BITS) == 0, "xEventGroupWaitBits", "event_groups.c:332");
    HOST_FREERTOS_ASSERT(uxBitsToWaitFor != 0, "xEventGroupWaitBits", "event_groups.c:333");
    pthread_mutex_lock(&host_kernel_lock);
    EventBits_t current = xEventGroup->bits;
    if (satisfied(current, uxBitsToWaitFor, xWaitForAllBits != pdFALSE)) {
        if (xClearOnExit != pdFALSE) {
            xEventGroup->bits &= ~uxBitsToWaitFor;
        }
        pthread_mutex_unlock(&host_kernel_lock);
        return current;
    }
    if (xTicksToWait == 0) {
        pthread_mutex_unlock(&host_kernel_lock);
        return current;
    }
    bool ended = false;
    current = block(xEventGroup, uxBitsToWaitFor, xWaitForAllBits != pdFALSE, xClearOnExit != pdFALSE,
                    xTicksToWait, &ended);
    pthread_mutex_unlock(&host_kernel_lock);
    if (ended) {
        host_kernel_wait_ended();
    }
    return current;
}

static EventBits_t set_bits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet);

/* xEventGroupSetBits: set, unblock every satisfied waiter with the bits, then clear their xClearOnExit bits */
EventBits_t xEventGroupSetBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet)
{
    HOST_FREERTOS_ASSERT(xEventGroup != NULL, "xEventGroupSetBits", "event_groups.c:561");
    HOST_FREERTOS_ASSERT((uxBitsToSet & CONTROL_BITS) == 0, "xEventGroupSetBits", "event_groups.c:562");
    pthread_mutex_lock(&host_kernel_lock);
    EventBits_t after = set_bits(xEventGroup, uxBitsToSet);
    pthread_mutex_unlock(&host_kernel_lock);
    return after;
}

static EventBits_t set_bits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet)
{
    xEventGroup->bits |= uxBitsToSet;
    EventBits_t to_clear = 0;
    bool woke = false;
    for (struct waiter *w = xEventGroup->waiting; w != NULL; w = w->next) {
        if (!w->done && satisfied(xEventGroup->bits, w->bits, w->all)) {
            w->done = true;
            w->result = xEventGroup->bits;
            if (w->clear) {
                to_clear |= w->bits;
            }
            woke = true;
        }
    }
    xEventGroup->bits &= ~to_clear;
    if (woke) {
        pthread_cond_broadcast(&xEventGroup->changed);
    }
    return xEventGroup->bits;
}

/* xEventGroupClearBits: returns the bits before clearing (xEventGroupGetBits clears nothing) */
EventBits_t xEventGroupClearBits(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear)
{
    HOST_FREERTOS_ASSERT(xEventGroup != NULL, "xEventGroupClearBits", "event_groups.c:497");
    HOST_FREERTOS_ASSERT((uxBitsToClear & CONTROL_BITS) == 0, "xEventGroupClearBits", "event_groups.c:498");
    pthread_mutex_lock(&host_kernel_lock);
    EventBits_t before = xEventGroup->bits;
    xEventGroup->bits &= ~uxBitsToClear;
    pthread_mutex_unlock(&host_kernel_lock);
    return before;
}

EventBits_t xEventGroupGetBitsFromISR(EventGroupHandle_t xEventGroup)
{
    pthread_mutex_lock(&host_kernel_lock);
    EventBits_t bits = xEventGroup->bits;
    pthread_mutex_unlock(&host_kernel_lock);
    return bits;
}

void vEventGroupSetBitsCallback(void *pvEventGroup, const uint32_t ulBitsToSet)
{
    (void)xEventGroupSetBits(pvEventGroup, (EventBits_t)ulBitsToSet);
}

void vEventGroupClearBitsCallback(void *pvEventGroup, const uint32_t ulBitsToClear)
{
    (void)xEventGroupClearBits(pvEventGroup, (EventBits_t)ulBitsToClear);
}

/* xEventGroupSetBitsFromISR / ClearBitsFromISR: deferred to the timer service task; pdFAIL if its queue is full */
BaseType_t xEventGroupSetBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                                     BaseType_t *pxHigherPriorityTaskWoken)
{
    return xTimerPendFunctionCallFromISR(vEventGroupSetBitsCallback, xEventGroup, (uint32_t)uxBitsToSet,
                                         pxHigherPriorityTaskWoken);
}

BaseType_t xEventGroupClearBitsFromISR(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToClear)
{
    return xTimerPendFunctionCallFromISR(vEventGroupClearBitsCallback, xEventGroup, (uint32_t)uxBitsToClear, NULL);
}

/* xEventGroupSync: set, then wait for all of uxBitsToWaitFor and clear them (a rendezvous) */
EventBits_t xEventGroupSync(EventGroupHandle_t xEventGroup, const EventBits_t uxBitsToSet,
                            const EventBits_t uxBitsToWaitFor, TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT((uxBitsToWaitFor & CONTROL_BITS) == 0, "xEventGroupSync", "event_groups.c:206");
    HOST_FREERTOS_ASSERT(uxBitsToWaitFor != 0, "xEventGroupSync", "event_groups.c:207");
    pthread_mutex_lock(&host_kernel_lock);
    EventBits_t original = xEventGroup->bits;
    (void)set_bits(xEventGroup, uxBitsToSet);
    EventBits_t result;
    bool ended = false;
    if (((original | uxBitsToSet) & uxBitsToWaitFor) == uxBitsToWaitFor) {
        /* all there: the bits as they were plus ours, and the rendezvous bits cleared */
        result = original | uxBitsToSet;
        xEventGroup->bits &= ~uxBitsToWaitFor;
    } else if (xTicksToWait != 0) {
        result = block(xEventGroup, uxBitsToWaitFor, true, true, xTicksToWait, &ended);
    } else {
        result = xEventGroup->bits;
    }
    pthread_mutex_unlock(&host_kernel_lock);
    if (ended) {
        host_kernel_wait_ended();
    }
    return result;
}

/* vEventGroupDelete: tasks still waiting are unblocked with 0 */
void vEventGroupDelete(EventGroupHandle_t xEventGroup)
{
    if (xEventGroup == NULL) {
        return;
    }
    pthread_mutex_lock(&host_kernel_lock);
    if (xEventGroup->waiters == 0) {
        destroy(xEventGroup);
    } else {
        for (struct waiter *w = xEventGroup->waiting; w != NULL; w = w->next) {
            w->done = true;
            w->result = 0;
        }
        xEventGroup->deleted = true;
        pthread_cond_broadcast(&xEventGroup->changed);
    }
    pthread_mutex_unlock(&host_kernel_lock);
}
