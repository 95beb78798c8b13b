/*
 * The host layer's bottom: what every other layer may use.  Layers, bottom up — a file
 * includes its own layer's header and calls only down:
 *
 *   base     clock, esp_log's line writer, named defects and counters, code-address names
 *   rtos     FreeRTOS (tasks, queues, timers, event groups) and esp_timer
 *   system   esp_err, esp_event, nvs, esp_mac, esp_system
 *   drivers  the UART driver and the link UART's two ends
 *   netif    esp_netif, ethernetif, static ARP, the linkoutput wrapper, lwIP core-lock checks
 *   http     esp_http_server
 *   probes   checks that watch the layers below through their hooks (wire match, TX records, crashes)
 *   toolkit  CEspIdfHost_*: what the Swift side calls; wires probes into the hooks
 *
 * Internal names are host_…; what firmware calls has its ESP-IDF name, what Swift calls CEspIdfHost_….
 */
#ifndef HOST_BASE_H
#define HOST_BASE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "esp_log.h"

#define HOST_TAG "esp_idf_host"

/* clock.c: one monotonic clock for ticks, log timestamps and deadlines. */
uint64_t host_now_us(void);
uint64_t host_now_ms(void);
/* An absolute CLOCK_MONOTONIC time `ms` from now, for pthread_cond_clockwait. */
struct timespec host_deadline_in_ms(uint64_t ms);
struct timespec host_deadline_in_us(uint64_t us);
/* pthread_cond_t that waits on CLOCK_MONOTONIC. */
void host_cond_init(pthread_cond_t *cond);
/* Waits on cond until deadline; returns false on timeout. */
bool host_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline);

/* defects.c: count a named defect and log it (the first time in full, then at 10, 100, …). */
void host_defect(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* A defect that crashes an ESP32: logs "E … FATAL <name>: …" with what ESP-IDF v5.4 does there, then ends the
 * device as the chip's panic would (abort: non-zero exit).  Never returns. */
void host_fatal(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Ends the device the way the chip's panic would end the firmware: one log line ("the firmware <how> …"), then
 * SIGABRT with its default action (no runtime crash dump on top of the firmware's own report).  Never returns. */
void host_firmware_abort(const char *how) __attribute__((noreturn));
/* Logs the FATAL line only (for callers that end the device through ESP_ERROR_CHECK's own report). */
void host_fatal_note(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* counters.c: the numbers CEspIdfHost_readCounters returns. */
typedef enum {
    HOST_RX_FRAMES, HOST_RX_BYTES, HOST_DROPPED_BY_STACK, HOST_TX_FRAMES, HOST_TX_BYTES,
    HOST_GATEWAY_ARP_LOCAL, HOST_RX_OVERFLOW_BYTES, HOST_DISCARDED_ON_DISCONNECT,
    HOST_RX_LENT, HOST_RX_RETURNED, HOST_COUNTER_COUNT
} host_counter_t;
void host_count(host_counter_t counter, uint64_t amount);

/* symbols.c: "netif_set_default" or "firmware.so+0x1c2f" for a code address; is it the firmware's? */
void host_describe_address(const void *address, char *out, size_t size);
void host_set_firmware_image(const void *address);
bool host_in_firmware(const void *address);

/* hash.c: FNV-1a over frames, for matching frames and noticing changed buffers. */
uint64_t host_frame_hash(const uint8_t *bytes, size_t count, uint64_t hash);
#define HOST_HASH_SEED 0xcbf29ce484222325ULL

#endif
