/*
 * The host layer's bottom: what every other layer may use.  Layers, bottom up — a file
 * includes its own layer's header and calls only down:
 *
 *   base     clock, esp_log's line writer, named defects and counters, code-address names
 *   rtos     FreeRTOS (tasks, queues, timers, event groups) and esp_timer
 *   system   esp_err, esp_event, nvs, esp_mac, esp_system
 *   drivers  the UART driver and the link UART's two ends
 *   netif    esp_netif, ethernetif, static ARP, the linkoutput wrapper, lwIP core-lock checks
 *   wifi     esp_wifi on the scripted radio (the link is the station's radio)
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
/* Waits on cond until signalled (no timeout). */
void host_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
/* Now, as a deadline-scale struct timespec (compare with host_deadline_in_*). */
struct timespec host_clock_now(void);
/* A periodic re-check `ms` from now (e.g. for a deleted task); no re-check under virtual time, where every wake-up
 * is a broadcast. */
struct timespec host_slice_deadline_in_ms(uint64_t ms);
/* Sleeps `ms` (vTaskDelay's slices). */
void host_sleep_ms(uint64_t ms);

/* virtual_time.c: deterministic time for the fuzzer (off unless host_vt_enable is called before anything runs):
 * the clock moves only when every participating thread is blocked, straight to the next timeout. */
void host_vt_enable(void);
bool host_vt_enabled(void);
uint64_t host_vt_now_us(void);
/* The calling thread is a firmware task (or tcpip_thread): time waits for it to block. */
void host_vt_participate(const char *name);
void host_vt_leave(void);
bool host_vt_is_participant(void);
/* A thread being created will participate: the creator reserves its place (counted from now), the new thread
 * takes it as it starts; cancel if it never started. */
int host_vt_adopt_begin(void);
void host_vt_adopt_end(int slot);
void host_vt_adopt_cancel(int slot);
/* With mutex held: waits on cond until woken or until virtual deadline_us (UINT64_MAX: none); false on timeout. */
bool host_vt_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, uint64_t deadline_us);
/* Before a broadcast of cond: its waiters are awake from now on. */
void host_vt_signalled(pthread_cond_t *cond);
/* A wait on a counting `object` in code that is not the host layer's (lwIP's sys_arch semaphores): begin, poll
 * should_return between short real waits, end (true: timed out).  The bookkeeping keeps each object's count as
 * posted and taken, so a waiter whose object has a post pending counts as running, however the post and the
 * wait interleave: created (its initial count), signalled (before the real post), taken (after a real take),
 * freed. */
void *host_vt_foreign_begin(const void *object, uint64_t deadline_us);
bool host_vt_foreign_should_return(void *wait);
bool host_vt_foreign_end(void *wait);
void host_vt_foreign_created(const void *object, unsigned count);
void host_vt_foreign_signalled(const void *object);
void host_vt_foreign_taken(const void *object);
void host_vt_foreign_freed(const void *object);
/* Timers that run on the controller's thread (lwIP's): when the next is due, and running those due. */
void host_vt_set_timer_source(uint64_t (*next_us)(void), void (*run)(void));
/* Controller: waits (up to limit_ms of real time) until every participant is blocked; -1 if one never blocks. */
int host_vt_settle(uint64_t limit_ms);
/* Controller: moves time to target_us, stopping at each earlier timeout to let its waiter run; -1 on a hang. */
int host_vt_advance_to(uint64_t target_us, uint64_t settle_limit_ms);
/* The participants that are not blocked, quoted and comma separated (for a hang report). */
void host_vt_describe_running(char *out, size_t size);

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

/* log.c: a second destination for every line the host's log writer writes (the --console), or NULL. */
void host_log_set_console(void (*sink)(const char *text, size_t len));

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
/* The firmware object's file and its directory: kept while loaded, removed at exit (atexit) or by a crash report
 * (host_remove_firmware_file is async-signal-safe). */
void host_set_firmware_file(const char *path, const char *directory);
void host_remove_firmware_file(void);
/* "function at file.c:42" for an address in a loaded shared object with debug info (addr2line; fork/exec only, so
 * a crash handler may call it); false when it cannot say. */
bool host_symbolize(const void *address, char *out, size_t size);

/* hash.c: FNV-1a over frames, for matching frames and noticing changed buffers. */
uint64_t host_frame_hash(const uint8_t *bytes, size_t count, uint64_t hash);
#define HOST_HASH_SEED 0xcbf29ce484222325ULL

#endif
