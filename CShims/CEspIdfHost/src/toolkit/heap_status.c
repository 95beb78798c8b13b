/* The firmware heap's size (--heap-kb) and figures for the status pages. */
#include "probes/probes.h"

#include "CEspIdfHost.h"
#include "system/heap.h"

size_t CEspIdfHost_defaultHeapBytes(void)
{
    return host_heap_default_limit();
}

void CEspIdfHost_setHeapLimit(size_t bytes)
{
    host_heap_set_limit(bytes);
}

void CEspIdfHost_readHeap(CEspIdfHost_Heap *out)
{
    host_heap_stats_t stats;
    host_heap_read(&stats);
    out->limit = stats.limit;
    out->inUse = stats.in_use;
    out->minimumFree = stats.minimum_free;
    out->allocations = stats.allocations;
    out->refused = stats.refused;
}
