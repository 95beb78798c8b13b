/* The firmware's heap as on the chip (heap.c): a bounded budget the firmware's allocations are charged to. */
#ifndef HOST_SYSTEM_HEAP_H
#define HOST_SYSTEM_HEAP_H

#include "system/system.h"

typedef struct {
    size_t limit;            /* the heap's size: --heap-kb */
    size_t in_use;           /* bytes charged now, block overhead included */
    size_t minimum_free;     /* the lowest limit - in_use seen */
    uint64_t allocations;    /* successful firmware allocations */
    uint64_t refused;        /* allocations refused because the heap was full */
} host_heap_stats_t;

size_t host_heap_default_limit(void);
void host_heap_set_limit(size_t bytes);
void host_heap_read(host_heap_stats_t *out);

#endif
