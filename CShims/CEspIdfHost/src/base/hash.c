/* FNV-1a: cheap, and enough to tell one frame from another or a changed buffer. */
#include "base/base.h"

uint64_t host_frame_hash(const uint8_t *bytes, size_t count, uint64_t hash)
{
    for (size_t i = 0; i < count; i++) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}
