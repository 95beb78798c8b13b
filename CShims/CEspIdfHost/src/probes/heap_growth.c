/*
 * heap-grows-per-frame: the firmware's heap in use (system/heap.c) sampled every
 * WINDOW frames that reach netif->input.  A leak per frame raises every sample; a
 * correct driver's heap comes back to the same level between frames (buffers in
 * flight rise and fall, a cache fills once).  So the defect is named when the level
 * rose in each of RISES windows in a row by at least MIN_GROWTH bytes in all: a
 * 64-byte-per-frame leak is named after 8 x 32 frames, long before it would exhaust
 * the heap, and a driver whose level ever falls starts the count again.
 */
#include "probes/probes.h"

#include "system/heap.h"

#define WINDOW 32
#define RISES 8
#define MIN_GROWTH 4096

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t s_frames;
static size_t s_last, s_streak_start;
static int s_rises;
static bool s_sampled;

void host_heap_growth_frame(void)
{
    host_heap_stats_t stats = {0};
    size_t from = 0, to = 0;
    pthread_mutex_lock(&s_lock);
    const bool sample = ++s_frames % WINDOW == 0;
    if (sample) {
        host_heap_read(&stats);
        if (s_sampled && stats.in_use > s_last) {
            if (s_rises++ == 0) {
                s_streak_start = s_last;
            }
        } else {
            s_rises = 0;
        }
        s_last = stats.in_use;
        s_sampled = true;
        if (s_rises >= RISES && stats.in_use - s_streak_start >= MIN_GROWTH) {
            from = s_streak_start;
            to = stats.in_use;
            s_rises = 0;
        }
    }
    pthread_mutex_unlock(&s_lock);
    if (to != 0) {
        const size_t per_frame = (to - from) / (RISES * WINDOW);
        host_defect("heap-grows-per-frame", "the firmware's heap in use grew in each of the last %d windows of %d "
                    "frames, from %zu to %zu bytes (about %zu bytes per frame); at that rate its %zu-byte heap is "
                    "exhausted after about %zu more frames", RISES, WINDOW, from, to, per_frame, stats.limit,
                    per_frame > 0 && stats.limit > to ? (stats.limit - to) / per_frame : 0);
    }
}
