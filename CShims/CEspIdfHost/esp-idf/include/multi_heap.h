/* multi_heap.h on the host: only the info record heap_caps_get_info fills (fields as in ESP-IDF v5.4's
 * components/heap/include/multi_heap.h). */
#pragma once

#include <stddef.h>

typedef struct {
    size_t total_free_bytes;
    size_t total_allocated_bytes;
    size_t largest_free_block;
    size_t minimum_free_bytes;
    size_t allocated_blocks;
    size_t free_blocks;
    size_t total_blocks;
} multi_heap_info_t;
