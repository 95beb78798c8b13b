/*
 * A driver that waits on its RX queue and a semaphore at once through a
 * FreeRTOS queue set.  The ESP-IDF host layer provides queues and semaphores
 * but not queue sets, so this must fail to compile with an error naming
 * xQueueCreateSet (never a silent stub).
 */
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"
#include "freertos/task.h"

static QueueHandle_t s_frames;
static SemaphoreHandle_t s_stop;

void app_main(void)
{
    s_frames = xQueueCreate(8, sizeof(void *));
    s_stop = xSemaphoreCreateBinary();
    (void)xQueueCreateSet(8 + 1);
}
