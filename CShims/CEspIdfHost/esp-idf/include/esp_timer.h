/*
 * esp_timer.h on the host: the clock only (esp_timer_get_time), which drivers
 * use for timestamps and timeouts.  Timer objects (esp_timer_create, …) are not
 * provided: a driver that uses them fails to compile, naming the function.
 */
#ifndef ESP_IDF_HOST_ESP_TIMER_H
#define ESP_IDF_HOST_ESP_TIMER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Microseconds since the device started (CLOCK_MONOTONIC). */
int64_t esp_timer_get_time(void);

#ifdef __cplusplus
}
#endif

#endif
