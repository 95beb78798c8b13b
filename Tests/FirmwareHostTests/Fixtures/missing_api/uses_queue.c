/*
 * A driver that hands frames to its own task through a FreeRTOS queue.  The
 * ESP-IDF host layer provides no queues, so this must fail to compile with an
 * error naming xQueueCreate (never a silent stub).
 */
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/task.h"

static QueueHandle_t s_frames;

void app_main(void)
{
    s_frames = xQueueCreate(8, sizeof(void *));
}
