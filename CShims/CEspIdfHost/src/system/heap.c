/*
 * The firmware's heap as on the chip.  The firmware object is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free (FirmwareCompiler), so its
 * own calls land in the __wrap_ functions here; the host layer's and liblwip's
 * allocations are not charged (on the chip they share the heap: see the README).
 *
 * Each live firmware block is charged as ESP-IDF v5.4's multi_heap_malloc_impl
 * (components/heap/multi_heap.c, over TLSF) spends it: the size rounded up to 4 bytes
 * plus a 4-byte block header (TLSF's block_header_overhead, sizeof(size_t) on the
 * 32-bit ESP32).  Past the limit an allocation returns NULL, as multi_heap does when no
 * block fits, and size 0 returns NULL (multi_heap_malloc_impl's first check).  Blocks
 * stay glibc blocks, so a pointer the host layer frees is still valid; a table of the
 * live firmware blocks tells which frees to credit.
 */
#include "system/heap.h"

#include <stdlib.h>
#include <string.h>

#include "esp_heap_caps.h"
#include "esp_system.h"

/* The 8-bit-capable DRAM regions heap_init lists in v5.4's example boot log (docs/en/api-reference/system/
 * mem_alloc.rst: 6 + 180 + 14 + 111 KiB; the 90 KiB IRAM region only takes 32-bit data and is not malloc's). */
#define HOST_HEAP_DEFAULT_BYTES (0x1920u + 0x2D138u + 0x3AE0u + 0x1BCB0u)
/* What the modelled DRAM offers (components/heap/port/esp32/memory_layout.c: DRAM is DEFAULT, INTERNAL, 8BIT,
 * 32BIT, DMA); a request for anything else (SPIRAM, EXEC, RTC…) finds no heap on a plain ESP32. */
#define HOST_HEAP_CAPS (MALLOC_CAP_DEFAULT | MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT | MALLOC_CAP_32BIT | MALLOC_CAP_DMA)

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static host_heap_stats_t s_stats = {.limit = HOST_HEAP_DEFAULT_BYTES, .minimum_free = HOST_HEAP_DEFAULT_BYTES};

/* Live firmware blocks: open addressing, pointer -> charge; a charge of 0 marks a deleted slot. */
typedef struct {
    void *pointer;
    size_t charge;
} block_t;
static block_t *s_blocks;
static size_t s_capacity, s_used;   /* slots, and slots ever filled (live + deleted) */

static size_t charge_for(size_t size)
{
    return ((size + 3u) & ~(size_t)3u) + 4u;
}

static size_t slot_of(const void *pointer)
{
    uintptr_t x = (uintptr_t)pointer >> 4;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ULL;
    return (size_t)(x >> 7) & (s_capacity - 1);
}

static void insert(void *pointer, size_t charge);

static bool grow(void)
{
    block_t *old = s_blocks;
    const size_t old_capacity = s_capacity;
    size_t live = 0;
    for (size_t i = 0; i < old_capacity; i++) {
        live += old[i].pointer != NULL && old[i].charge != 0;
    }
    /* mostly deleted slots: rehash at the same size instead of doubling */
    const size_t capacity = old_capacity == 0 ? 1024 : live * 4 < old_capacity ? old_capacity : old_capacity * 2;
    block_t *blocks = calloc(capacity, sizeof *blocks);
    if (blocks == NULL) {
        return false;
    }
    s_blocks = blocks;
    s_capacity = capacity;
    s_used = 0;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].pointer != NULL && old[i].charge != 0) {
            insert(old[i].pointer, old[i].charge);
        }
    }
    free(old);
    return true;
}

static void insert(void *pointer, size_t charge)
{
    size_t i = slot_of(pointer);
    while (s_blocks[i].pointer != NULL && s_blocks[i].charge != 0) {
        i = (i + 1) & (s_capacity - 1);
    }
    if (s_blocks[i].pointer == NULL) {
        s_used++;
    }
    s_blocks[i] = (block_t){pointer, charge};
}

/* The slot of a live firmware block, or NULL for a pointer the firmware did not get from us. */
static block_t *find(const void *pointer)
{
    if (s_capacity == 0) {
        return NULL;
    }
    for (size_t i = slot_of(pointer);; i = (i + 1) & (s_capacity - 1)) {
        if (s_blocks[i].pointer == NULL) {
            return NULL;
        }
        if (s_blocks[i].pointer == pointer && s_blocks[i].charge != 0) {
            return &s_blocks[i];
        }
    }
}

static void note_free_level(void)
{
    const size_t free_now = s_stats.in_use < s_stats.limit ? s_stats.limit - s_stats.in_use : 0;
    if (free_now < s_stats.minimum_free) {
        s_stats.minimum_free = free_now;
    }
}

/* Reserves `charge` bytes of the budget (lock held); false when the heap has no room. */
static bool reserve(size_t charge, size_t release)
{
    if (s_stats.in_use - release + charge > s_stats.limit) {
        s_stats.refused++;
        return false;
    }
    s_stats.in_use = s_stats.in_use - release + charge;
    note_free_level();
    return true;
}

static void report_refusal(const char *function, size_t size)
{
    host_heap_stats_t stats;
    host_heap_read(&stats);
    host_defect("heap-exhausted", "%s(%zu) returned NULL: the firmware has %zu of its %zu-byte heap in use (an "
                "ESP32's malloc fails here too; --heap-kb sets the size)", function, size, stats.in_use, stats.limit);
}

/* Allocates through `allocate` and charges the block; NULL (and a report) when it does not fit. */
static void *charged(const char *function, size_t size, void *(*allocate)(size_t, size_t), size_t a, size_t b)
{
    if (size == 0) {
        return NULL;
    }
    const size_t charge = charge_for(size);
    pthread_mutex_lock(&s_lock);
    bool fits = (s_used + 1) * 2 <= s_capacity || grow();
    fits = fits && reserve(charge, 0);
    pthread_mutex_unlock(&s_lock);
    if (!fits) {
        report_refusal(function, size);
        return NULL;
    }
    void *pointer = allocate(a, b);
    pthread_mutex_lock(&s_lock);
    if (pointer != NULL) {
        insert(pointer, charge);
        s_stats.allocations++;
    } else {
        s_stats.in_use -= charge;
    }
    pthread_mutex_unlock(&s_lock);
    return pointer;
}

static void *plain_malloc(size_t size, size_t unused)
{
    (void)unused;
    return malloc(size);
}

static void *plain_calloc(size_t count, size_t size)
{
    return calloc(count, size);
}

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *pointer, size_t size);
void __wrap_free(void *pointer);

void *__wrap_malloc(size_t size)
{
    return charged("malloc", size, plain_malloc, size, 0);
}

void *__wrap_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    return charged("calloc", count * size, plain_calloc, count, size);
}

void __wrap_free(void *pointer)
{
    if (pointer == NULL) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    block_t *block = find(pointer);
    if (block != NULL) {
        s_stats.in_use -= block->charge;
        block->charge = 0;   /* deleted: the probe chain continues past it */
    }
    pthread_mutex_unlock(&s_lock);
    free(pointer);
}

void *__wrap_realloc(void *pointer, size_t size)
{
    if (pointer == NULL) {
        return __wrap_malloc(size);
    }
    if (size == 0) {   /* heap_caps_realloc_base: size 0 frees the block and returns NULL */
        __wrap_free(pointer);
        return NULL;
    }
    const size_t charge = charge_for(size);
    pthread_mutex_lock(&s_lock);
    bool fits = (s_used + 1) * 2 <= s_capacity || grow();   /* before find: growing moves the slots */
    block_t *block = find(pointer);
    const size_t old = block != NULL ? block->charge : 0;
    fits = fits && reserve(charge, old);
    if (fits && block != NULL) {
        block->charge = 0;
    }
    pthread_mutex_unlock(&s_lock);
    if (!fits) {
        report_refusal("realloc", size);
        return NULL;   /* the old block stays valid and charged, as on the chip */
    }
    void *moved = realloc(pointer, size);
    pthread_mutex_lock(&s_lock);
    if (moved != NULL) {
        insert(moved, charge);
        s_stats.allocations++;
    } else {   /* glibc kept the old block */
        s_stats.in_use = s_stats.in_use - charge + old;
        if (old != 0) {
            insert(pointer, old);
        }
    }
    pthread_mutex_unlock(&s_lock);
    return moved;
}

size_t host_heap_default_limit(void)
{
    return HOST_HEAP_DEFAULT_BYTES;
}

void host_heap_set_limit(size_t bytes)
{
    pthread_mutex_lock(&s_lock);
    s_stats.limit = bytes;
    s_stats.minimum_free = bytes > s_stats.in_use ? bytes - s_stats.in_use : 0;
    pthread_mutex_unlock(&s_lock);
}

void host_heap_read(host_heap_stats_t *out)
{
    pthread_mutex_lock(&s_lock);
    *out = s_stats;
    pthread_mutex_unlock(&s_lock);
}

// MARK: - esp_heap_caps.h and esp_system.h's heap figures (components/heap/heap_caps.c, esp_system_chip.c)

static bool caps_served(uint32_t caps)
{
    return (caps & ~(uint32_t)HOST_HEAP_CAPS) == 0;
}

static size_t free_bytes(void)
{
    host_heap_stats_t stats;
    host_heap_read(&stats);
    return stats.in_use < stats.limit ? stats.limit - stats.in_use : 0;
}

void *heap_caps_malloc(size_t size, uint32_t caps)
{
    return caps_served(caps) ? __wrap_malloc(size) : NULL;
}

void *heap_caps_calloc(size_t n, size_t size, uint32_t caps)
{
    return caps_served(caps) ? __wrap_calloc(n, size) : NULL;
}

void *heap_caps_realloc(void *ptr, size_t size, uint32_t caps)
{
    return caps_served(caps) ? __wrap_realloc(ptr, size) : NULL;
}

void heap_caps_free(void *ptr)
{
    __wrap_free(ptr);
}

size_t heap_caps_get_total_size(uint32_t caps)
{
    host_heap_stats_t stats;
    host_heap_read(&stats);
    return caps_served(caps) ? stats.limit : 0;
}

size_t heap_caps_get_free_size(uint32_t caps)
{
    return caps_served(caps) ? free_bytes() : 0;
}

size_t heap_caps_get_minimum_free_size(uint32_t caps)
{
    host_heap_stats_t stats;
    host_heap_read(&stats);
    return caps_served(caps) ? stats.minimum_free : 0;
}

/* The host has no fragmentation to model: the largest block is what is free, less one block header. */
size_t heap_caps_get_largest_free_block(uint32_t caps)
{
    const size_t free_now = caps_served(caps) ? free_bytes() : 0;
    return free_now > 4 ? (free_now - 4) & ~(size_t)3u : 0;
}

void heap_caps_get_info(multi_heap_info_t *info, uint32_t caps)
{
    host_heap_stats_t stats;
    host_heap_read(&stats);
    memset(info, 0, sizeof *info);
    if (!caps_served(caps)) {
        return;
    }
    info->total_free_bytes = stats.in_use < stats.limit ? stats.limit - stats.in_use : 0;
    info->total_allocated_bytes = stats.in_use;
    info->largest_free_block = heap_caps_get_largest_free_block(caps);
    info->minimum_free_bytes = stats.minimum_free;
}

uint32_t esp_get_free_heap_size(void)
{
    return (uint32_t)heap_caps_get_free_size(MALLOC_CAP_DEFAULT);
}

uint32_t esp_get_free_internal_heap_size(void)
{
    return (uint32_t)heap_caps_get_free_size(MALLOC_CAP_8BIT | MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL);
}

uint32_t esp_get_minimum_free_heap_size(void)
{
    return (uint32_t)heap_caps_get_minimum_free_size(MALLOC_CAP_DEFAULT);
}
