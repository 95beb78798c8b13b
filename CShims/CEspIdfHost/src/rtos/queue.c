/*
 * FreeRTOS queues, and the semaphores and mutexes built on them, as FreeRTOS-
 * Kernel 10.5.1 in ESP-IDF v5.4 (queue.c) has them: a semaphore is a queue of
 * zero-size items whose count is the semaphore's value, a mutex a one-item
 * semaphore that starts full and records its holder.  All state is guarded by
 * host_kernel_lock; blocked senders and receivers wait on the queue's two
 * condition variables (see kernel.c for deletion and shutdown).
 */
#include "rtos_internal.h"

#include <stdlib.h>
#include <string.h>

#include "freertos/queue.h"
#include "freertos/semphr.h"

struct QueueDefinition {
    uint8_t type;
    UBaseType_t length;
    UBaseType_t item_size;
    UBaseType_t count;        /* uxMessagesWaiting */
    UBaseType_t head;         /* index of the next item to receive */
    uint8_t *storage;
    bool owns_storage;
    pthread_cond_t can_receive;
    pthread_cond_t can_send;
    /* mutexes */
    void *holder;             /* host_current_holder() of the holder, NULL when free */
    TaskHandle_t holder_task; /* xMutexHolder */
    UBaseType_t recursive_count;
    /* a queue deleted while tasks wait in it is freed by the last of them */
    unsigned waiters;
    bool deleted;
};

static bool is_mutex(const struct QueueDefinition *q)
{
    return q->type == queueQUEUE_TYPE_MUTEX || q->type == queueQUEUE_TYPE_RECURSIVE_MUTEX;
}

static void destroy(struct QueueDefinition *q)
{
    pthread_cond_destroy(&q->can_receive);
    pthread_cond_destroy(&q->can_send);
    if (q->owns_storage) {
        free(q->storage);
    }
    free(q);
}

static struct QueueDefinition *create(UBaseType_t length, UBaseType_t item_size, uint8_t *storage, uint8_t type)
{
    /* xQueueGenericCreate: a zero length or an overflowing size is a configASSERT */
    HOST_FREERTOS_ASSERT(length > 0 && (SIZE_MAX / length) >= item_size, "xQueueGenericCreate", "queue.c:573");
    struct QueueDefinition *q = calloc(1, sizeof *q);
    if (q == NULL) {
        return NULL;
    }
    q->type = type;
    q->length = length;
    q->item_size = item_size;
    if (item_size > 0) {
        q->owns_storage = storage == NULL;
        q->storage = storage != NULL ? storage : malloc((size_t)length * item_size);
        if (q->storage == NULL) {
            free(q);
            return NULL;
        }
    }
    host_cond_init(&q->can_receive);
    host_cond_init(&q->can_send);
    return q;
}

QueueHandle_t xQueueGenericCreate(const UBaseType_t uxQueueLength, const UBaseType_t uxItemSize,
                                  const uint8_t ucQueueType)
{
    return create(uxQueueLength, uxItemSize, NULL, ucQueueType);
}

QueueHandle_t xQueueGenericCreateStatic(const UBaseType_t uxQueueLength, const UBaseType_t uxItemSize,
                                        uint8_t *pucQueueStorage, StaticQueue_t *pxStaticQueue,
                                        const uint8_t ucQueueType)
{
    /* xQueueGenericCreateStatic: storage must be given exactly when items have a size */
    HOST_FREERTOS_ASSERT(pxStaticQueue != NULL, "xQueueGenericCreateStatic", "queue.c:415");
    HOST_FREERTOS_ASSERT(!((pucQueueStorage != NULL) && (uxItemSize == 0)), "xQueueGenericCreateStatic", "queue.c:420");
    HOST_FREERTOS_ASSERT(!((pucQueueStorage == NULL) && (uxItemSize != 0)), "xQueueGenericCreateStatic", "queue.c:421");
    return create(uxQueueLength, uxItemSize, pucQueueStorage, ucQueueType);
}

/* Leaves a wait: frees a queue deleted meanwhile when this was its last waiter; returns whether it is gone. */
static bool leave(struct QueueDefinition *q)
{
    q->waiters--;
    if (!q->deleted) {
        return false;
    }
    if (q->waiters == 0) {
        destroy(q);
    }
    return true;
}

/* prvCopyDataToQueue (kernel lock held, room checked) */
static void copy_in(struct QueueDefinition *q, const void *item, BaseType_t position)
{
    if (q->item_size == 0) {
        if (is_mutex(q) && q->holder != NULL) {
            /* xTaskPriorityDisinherit: only the holder may give a held mutex; ESP-IDF asserts otherwise */
            if (q->holder != host_current_holder()) {
                pthread_mutex_unlock(&host_kernel_lock);
                host_freertos_assert_failed("xTaskPriorityDisinherit", "tasks.c:5153",
                                            "pxTCB == pxCurrentTCBs[ portGET_CORE_ID() ] "
                                            "(a mutex given by a task that does not hold it)");
            }
            q->holder = NULL;
            q->holder_task = NULL;
        }
        q->count++;
        return;
    }
    if (position == queueOVERWRITE && q->count > 0) {
        /* one-item queue: replace the item in place, the count stays 1 */
        memcpy(q->storage + (size_t)q->head * q->item_size, item, q->item_size);
        return;
    }
    UBaseType_t slot;
    if (position == queueSEND_TO_FRONT) {
        q->head = (q->head + q->length - 1) % q->length;
        slot = q->head;
    } else {
        slot = (q->head + q->count) % q->length;
    }
    memcpy(q->storage + (size_t)slot * q->item_size, item, q->item_size);
    q->count++;
}

/* prvCopyDataFromQueue; remove=false for a peek */
static void copy_out(struct QueueDefinition *q, void *buffer, bool remove)
{
    if (q->item_size > 0) {
        memcpy(buffer, q->storage + (size_t)q->head * q->item_size, q->item_size);
    }
    if (remove) {
        q->head = q->item_size > 0 ? (q->head + 1) % q->length : 0;
        q->count--;
    }
}

static BaseType_t send(struct QueueDefinition *q, const void *item, const host_timeout_t *timeout, bool may_block,
                       BaseType_t position)
{
    HOST_FREERTOS_ASSERT(q != NULL, "xQueueGenericSend", "queue.c:936");
    HOST_FREERTOS_ASSERT(!((item == NULL) && (q->item_size != 0)), "xQueueGenericSend", "queue.c:937");
    HOST_FREERTOS_ASSERT(!((position == queueOVERWRITE) && (q->length != 1)), "xQueueGenericSend", "queue.c:938");
    pthread_mutex_lock(&host_kernel_lock);
    bool timed_out = !may_block;
    for (;;) {
        if (q->count < q->length || position == queueOVERWRITE) {
            copy_in(q, item, position);
            pthread_cond_broadcast(&q->can_receive);
            pthread_mutex_unlock(&host_kernel_lock);
            return pdPASS;
        }
        if (timed_out) {
            pthread_mutex_unlock(&host_kernel_lock);
            return errQUEUE_FULL;
        }
        q->waiters++;
        host_wait_result_t result = host_kernel_wait(&q->can_send, timeout);
        if (leave(q)) {
            pthread_mutex_unlock(&host_kernel_lock);
            return errQUEUE_FULL;
        }
        if (result == HOST_WAIT_ENDED) {
            pthread_mutex_unlock(&host_kernel_lock);
            host_kernel_wait_ended();
            return errQUEUE_FULL;
        }
        /* xQueueGenericSend: on timeout, one more look before giving up */
        timed_out = result == HOST_WAIT_TIMEOUT;
    }
}

static BaseType_t receive_until(struct QueueDefinition *q, void *buffer, const host_timeout_t *timeout,
                                bool may_block, bool remove, bool take)
{
    pthread_mutex_lock(&host_kernel_lock);
    bool timed_out = !may_block;
    for (;;) {
        if (q->count > 0) {
            copy_out(q, buffer, remove);
            if (take && is_mutex(q)) {
                /* pvTaskIncrementMutexHeldCount: the taker holds it */
                q->holder = host_current_holder();
                q->holder_task = host_current_task();
            }
            /* room for a sender; a peek leaves the item for other receivers (xQueuePeek) */
            pthread_cond_broadcast(remove ? &q->can_send : &q->can_receive);
            pthread_mutex_unlock(&host_kernel_lock);
            return pdPASS;
        }
        if (timed_out) {
            pthread_mutex_unlock(&host_kernel_lock);
            return errQUEUE_EMPTY;
        }
        q->waiters++;
        host_wait_result_t result = host_kernel_wait(&q->can_receive, timeout);
        if (leave(q)) {
            pthread_mutex_unlock(&host_kernel_lock);
            return errQUEUE_EMPTY;
        }
        if (result == HOST_WAIT_ENDED) {
            pthread_mutex_unlock(&host_kernel_lock);
            host_kernel_wait_ended();
            return errQUEUE_EMPTY;
        }
        timed_out = result == HOST_WAIT_TIMEOUT;
    }
}

static BaseType_t receive(struct QueueDefinition *q, void *buffer, TickType_t ticks, bool remove, bool take)
{
    host_timeout_t timeout = host_timeout_from_ticks(ticks);
    return receive_until(q, buffer, &timeout, ticks != 0, remove, take);
}

BaseType_t host_queue_receive_until(QueueHandle_t queue, void *buffer, const host_timeout_t *timeout)
{
    return receive_until(queue, buffer, timeout, true, true, false);
}

BaseType_t xQueueGenericSend(QueueHandle_t xQueue, const void *const pvItemToQueue, TickType_t xTicksToWait,
                             const BaseType_t xCopyPosition)
{
    host_timeout_t timeout = host_timeout_from_ticks(xTicksToWait);
    return send(xQueue, pvItemToQueue, &timeout, xTicksToWait != 0, xCopyPosition);
}

BaseType_t xQueueGenericSendFromISR(QueueHandle_t xQueue, const void *const pvItemToQueue,
                                    BaseType_t *const pxHigherPriorityTaskWoken, const BaseType_t xCopyPosition)
{
    (void)pxHigherPriorityTaskWoken;
    host_timeout_t none = host_timeout_from_ticks(0);
    return send(xQueue, pvItemToQueue, &none, false, xCopyPosition);
}

BaseType_t xQueueGiveFromISR(QueueHandle_t xQueue, BaseType_t *const pxHigherPriorityTaskWoken)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueGiveFromISR", "queue.c:1358");
    HOST_FREERTOS_ASSERT(xQueue->item_size == 0, "xQueueGiveFromISR", "queue.c:1362");
    /* a held mutex can not be given from an interrupt */
    HOST_FREERTOS_ASSERT(!(is_mutex(xQueue) && (xQueue->holder != NULL)), "xQueueGiveFromISR", "queue.c:1367");
    return xQueueGenericSendFromISR(xQueue, NULL, pxHigherPriorityTaskWoken, queueSEND_TO_BACK);
}

BaseType_t xQueueReceive(QueueHandle_t xQueue, void *const pvBuffer, TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueReceive", "queue.c:1531");
    HOST_FREERTOS_ASSERT(!((pvBuffer == NULL) && (xQueue->item_size != 0U)), "xQueueReceive", "queue.c:1535");
    return receive(xQueue, pvBuffer, xTicksToWait, true, false);
}

BaseType_t xQueuePeek(QueueHandle_t xQueue, void *const pvBuffer, TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueuePeek", "queue.c:1976");
    HOST_FREERTOS_ASSERT(!((pvBuffer == NULL) && (xQueue->item_size != 0U)), "xQueuePeek", "queue.c:1980");
    return receive(xQueue, pvBuffer, xTicksToWait, false, false);
}

BaseType_t xQueueSemaphoreTake(QueueHandle_t xQueue, TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueSemaphoreTake", "queue.c:1709");
    HOST_FREERTOS_ASSERT(xQueue->item_size == 0, "xQueueSemaphoreTake", "queue.c:1713");
    return receive(xQueue, NULL, xTicksToWait, true, true);
}

BaseType_t xQueueReceiveFromISR(QueueHandle_t xQueue, void *const pvBuffer, BaseType_t *const pxHigherPriorityTaskWoken)
{
    (void)pxHigherPriorityTaskWoken;
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueReceiveFromISR", "queue.c:2157");
    HOST_FREERTOS_ASSERT(!((pvBuffer == NULL) && (xQueue->item_size != 0U)), "xQueueReceiveFromISR", "queue.c:2158");
    return receive(xQueue, pvBuffer, 0, true, false);
}

BaseType_t xQueuePeekFromISR(QueueHandle_t xQueue, void *const pvBuffer)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueuePeekFromISR", "queue.c:2259");
    HOST_FREERTOS_ASSERT(xQueue->item_size != 0, "xQueuePeekFromISR", "queue.c:2261");
    return receive(xQueue, pvBuffer, 0, false, false);
}

static UBaseType_t read_count(const struct QueueDefinition *q, bool spaces)
{
    pthread_mutex_lock(&host_kernel_lock);
    UBaseType_t value = spaces ? q->length - q->count : q->count;
    pthread_mutex_unlock(&host_kernel_lock);
    return value;
}

UBaseType_t uxQueueMessagesWaiting(const QueueHandle_t xQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "uxQueueMessagesWaiting", "queue.c:2310");
    return read_count(xQueue, false);
}

UBaseType_t uxQueueMessagesWaitingFromISR(const QueueHandle_t xQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "uxQueueMessagesWaitingFromISR", "queue.c:2344");
    return read_count(xQueue, false);
}

UBaseType_t uxQueueSpacesAvailable(const QueueHandle_t xQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "uxQueueSpacesAvailable", "queue.c:2327");
    return read_count(xQueue, true);
}

BaseType_t xQueueIsQueueEmptyFromISR(const QueueHandle_t xQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueIsQueueEmptyFromISR", "queue.c:2705");
    return read_count(xQueue, false) == 0 ? pdTRUE : pdFALSE;
}

BaseType_t xQueueIsQueueFullFromISR(const QueueHandle_t xQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueIsQueueFullFromISR", "queue.c:2748");
    return read_count(xQueue, true) == 0 ? pdTRUE : pdFALSE;
}

/* xQueueGenericReset: empties the queue (a mutex too, which then reads as taken) and lets a blocked sender in */
BaseType_t xQueueGenericReset(QueueHandle_t xQueue, BaseType_t xNewQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "xQueueGenericReset", "queue.c:333");
    (void)xNewQueue;
    pthread_mutex_lock(&host_kernel_lock);
    xQueue->count = 0;
    xQueue->head = 0;
    pthread_cond_broadcast(&xQueue->can_send);
    pthread_mutex_unlock(&host_kernel_lock);
    return pdPASS;
}

void vQueueDelete(QueueHandle_t xQueue)
{
    HOST_FREERTOS_ASSERT(xQueue != NULL, "vQueueDelete", "queue.c:2355");
    pthread_mutex_lock(&host_kernel_lock);
    if (xQueue->waiters > 0) {
        /* undefined on FreeRTOS; here the waiters fail and the last one frees it */
        xQueue->deleted = true;
        pthread_cond_broadcast(&xQueue->can_receive);
        pthread_cond_broadcast(&xQueue->can_send);
    } else {
        destroy(xQueue);
    }
    pthread_mutex_unlock(&host_kernel_lock);
}

uint8_t ucQueueGetQueueType(QueueHandle_t xQueue)
{
    return xQueue->type;
}

/* ---- semaphores and mutexes ---- */

/* xQueueCreateMutex: a one-item semaphore that starts available, with no holder */
QueueHandle_t xQueueCreateMutex(const uint8_t ucQueueType)
{
    struct QueueDefinition *q = create(1, 0, NULL, ucQueueType);
    if (q != NULL) {
        q->count = 1;
    }
    return q;
}

QueueHandle_t xQueueCreateMutexStatic(const uint8_t ucQueueType, StaticQueue_t *pxStaticQueue)
{
    HOST_FREERTOS_ASSERT(pxStaticQueue != NULL, "xQueueGenericCreateStatic", "queue.c:415");
    return xQueueCreateMutex(ucQueueType);
}

/* xQueueCreateCountingSemaphore: NULL for a zero maximum; an initial count above it is a configASSERT */
QueueHandle_t xQueueCreateCountingSemaphore(const UBaseType_t uxMaxCount, const UBaseType_t uxInitialCount)
{
    if (uxMaxCount == 0 || uxInitialCount > uxMaxCount) {
        host_freertos_assert_failed("xQueueCreateCountingSemaphore", "queue.c:917",
                                    "xHandle (uxMaxCount 0 or uxInitialCount > uxMaxCount)");
    }
    struct QueueDefinition *q = create(uxMaxCount, 0, NULL, queueQUEUE_TYPE_COUNTING_SEMAPHORE);
    if (q != NULL) {
        q->count = uxInitialCount;
    }
    return q;
}

QueueHandle_t xQueueCreateCountingSemaphoreStatic(const UBaseType_t uxMaxCount, const UBaseType_t uxInitialCount,
                                                  StaticQueue_t *pxStaticQueue)
{
    HOST_FREERTOS_ASSERT(pxStaticQueue != NULL, "xQueueGenericCreateStatic", "queue.c:415");
    return xQueueCreateCountingSemaphore(uxMaxCount, uxInitialCount);
}

TaskHandle_t xQueueGetMutexHolder(QueueHandle_t xSemaphore)
{
    HOST_FREERTOS_ASSERT(xSemaphore != NULL, "xQueueGetMutexHolder", "queue.c:706");
    pthread_mutex_lock(&host_kernel_lock);
    TaskHandle_t holder = is_mutex(xSemaphore) ? xSemaphore->holder_task : NULL;
    pthread_mutex_unlock(&host_kernel_lock);
    return holder;
}

TaskHandle_t xQueueGetMutexHolderFromISR(QueueHandle_t xSemaphore)
{
    return xQueueGetMutexHolder(xSemaphore);
}

/* xQueueTakeMutexRecursive: the holder takes again by counting; anyone else takes it like a mutex */
BaseType_t xQueueTakeMutexRecursive(QueueHandle_t xMutex, TickType_t xTicksToWait)
{
    HOST_FREERTOS_ASSERT(xMutex != NULL, "xQueueTakeMutexRecursive", "queue.c:821");
    pthread_mutex_lock(&host_kernel_lock);
    if (xMutex->holder != NULL && xMutex->holder == host_current_holder()) {
        xMutex->recursive_count++;
        pthread_mutex_unlock(&host_kernel_lock);
        return pdPASS;
    }
    pthread_mutex_unlock(&host_kernel_lock);
    BaseType_t taken = xQueueSemaphoreTake(xMutex, xTicksToWait);
    if (taken == pdPASS) {
        pthread_mutex_lock(&host_kernel_lock);
        xMutex->recursive_count++;
        pthread_mutex_unlock(&host_kernel_lock);
    }
    return taken;
}

/* xQueueGiveMutexRecursive: pdFAIL unless the caller holds it; the last give releases it */
BaseType_t xQueueGiveMutexRecursive(QueueHandle_t xMutex)
{
    HOST_FREERTOS_ASSERT(xMutex != NULL, "xQueueGiveMutexRecursive", "queue.c:765");
    pthread_mutex_lock(&host_kernel_lock);
    if (xMutex->holder == NULL || xMutex->holder != host_current_holder()) {
        pthread_mutex_unlock(&host_kernel_lock);
        return pdFAIL;
    }
    bool release = --xMutex->recursive_count == 0;
    pthread_mutex_unlock(&host_kernel_lock);
    if (release) {
        (void)xQueueGenericSend(xMutex, NULL, 0, queueSEND_TO_BACK);
    }
    return pdPASS;
}
