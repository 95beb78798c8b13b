/*
 * The link UART's TX side.  Every byte the firmware writes to the link UART goes through
 * host_uart_link_write: while a linkoutput call is being captured on this thread (see
 * netif/linkoutput.c) the bytes are collected, so a length and its frame leave in one
 * piece; otherwise they go to the sink the toolkit installed, under one lock so the
 * sink sees the wire's order.
 */
#include "drivers/drivers.h"

#include <stdlib.h>
#include <string.h>

#include "drivers/uart_internal.h"

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static host_uart_link_sink_t s_sink;
static void *s_context;

static __thread bool t_capturing;
static __thread uint8_t *t_buffer;
static __thread size_t t_count, t_capacity;

void host_uart_set_link_sink(host_uart_link_sink_t sink, void *context)
{
    pthread_mutex_lock(&s_lock);
    s_sink = sink;
    s_context = context;
    pthread_mutex_unlock(&s_lock);
}

void host_uart_link_write(const uint8_t *bytes, size_t count)
{
    if (count == 0) {
        return;
    }
    if (t_capturing) {
        if (t_count + count > t_capacity) {
            size_t capacity = (t_count + count) * 2;
            uint8_t *grown = realloc(t_buffer, capacity);
            if (grown == NULL) {
                return;
            }
            t_buffer = grown;
            t_capacity = capacity;
        }
        memcpy(t_buffer + t_count, bytes, count);
        t_count += count;
        return;
    }
    pthread_mutex_lock(&s_lock);
    if (s_sink != NULL) {
        s_sink(s_context, bytes, count);
    }
    pthread_mutex_unlock(&s_lock);
}

void host_uart_tx_capture_begin(void)
{
    t_capturing = true;
    t_count = 0;
}

const uint8_t *host_uart_tx_capture_end(size_t *count)
{
    t_capturing = false;
    *count = t_count;
    return t_buffer;
}
