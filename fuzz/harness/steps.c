#include "steps.h"

static uint64_t idle_us(uint8_t code)
{
    if (code <= 100) {
        return (uint64_t)code * 1000u;
    }
    return (uint64_t)(code - 100u) * 100000u;
}

int fuzz_next_step(const uint8_t *data, size_t size, size_t *offset, fuzz_step_t *step)
{
    size_t at = *offset;
    if (at + 3 > size) {
        return 0;
    }
    size_t count = (size_t)data[at] << 8 | data[at + 1];
    step->idle_us = idle_us(data[at + 2]);
    at += 3;
    if (count > size - at) {
        count = size - at;
    }
    step->bytes = data + at;
    step->count = count;
    *offset = at + count;
    return 1;
}
