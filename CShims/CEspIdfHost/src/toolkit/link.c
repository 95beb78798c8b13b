/*
 * The link's two ends as the Swift side sees them.  RX: link bytes go into the link
 * UART, and the wire probe learns how far the stream has come (valid-frame-dropped
 * excuses frames whose bytes were still unread when a peer left).  TX: every byte the
 * device writes to the link UART passes the TX record probe, then the Swift callback,
 * in the wire's order (the UART's link sink is called under one lock).
 */
#include "probes/probes.h"

#include "CEspIdfHost.h"

static CEspIdfHost_TxCallback s_callback;
static void *s_context;

static void link_sink(void *context, const uint8_t *bytes, size_t count)
{
    (void)context;
    host_tx_stream_observe(bytes, count);
    if (s_callback != NULL) {
        s_callback(s_context, bytes, count);
    }
}

void CEspIdfHost_setTxCallback(CEspIdfHost_TxCallback callback, void *context)
{
    host_uart_set_link_sink(NULL, NULL);  /* the sink's lock orders this against a write in progress */
    s_callback = callback;
    s_context = context;
    host_uart_set_link_sink(link_sink, NULL);
}

void CEspIdfHost_setLinkUart(int port)
{
    host_uart_set_link_port(port);
}

void CEspIdfHost_setLinkLineRate(uint32_t baud, uint32_t halfBitsPerCharacter)
{
    host_uart_set_line_rate(baud, halfBitsPerCharacter);
}

size_t CEspIdfHost_uartFeed(const uint8_t *bytes, size_t count, int max_wait_ms)
{
    uint64_t offered = 0;
    size_t accepted = host_uart_link_feed(bytes, count, max_wait_ms, &offered);
    host_wire_fed(offered);
    return accepted;
}

size_t CEspIdfHost_uartDiscardInput(void)
{
    uint64_t consumed = 0;
    size_t dropped = host_uart_link_discard(&consumed);
    host_wire_excuse_unread(consumed);
    return dropped;
}
