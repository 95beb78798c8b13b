/* The host layer's counters: plain atomics, written from any thread, read by Swift for /api/status. */
#include "base/base.h"

#include "CEspIdfHost.h"

static uint64_t s_counters[HOST_COUNTER_COUNT];

void host_count(host_counter_t counter, uint64_t amount)
{
    __atomic_fetch_add(&s_counters[counter], amount, __ATOMIC_RELAXED);
}

static uint64_t get(host_counter_t counter)
{
    return __atomic_load_n(&s_counters[counter], __ATOMIC_RELAXED);
}

void CEspIdfHost_readCounters(CEspIdfHost_Counters *out)
{
    if (out == NULL) {
        return;
    }
    out->rxFrames = get(HOST_RX_FRAMES);
    out->rxBytes = get(HOST_RX_BYTES);
    out->droppedByStack = get(HOST_DROPPED_BY_STACK);
    out->txFrames = get(HOST_TX_FRAMES);
    out->txBytes = get(HOST_TX_BYTES);
    out->gatewayARPAnsweredLocally = get(HOST_GATEWAY_ARP_LOCAL);
    out->rxOverflowBytes = get(HOST_RX_OVERFLOW_BYTES);
    out->discardedOnDisconnect = get(HOST_DISCARDED_ON_DISCONNECT);
    out->rxBuffersLent = get(HOST_RX_LENT);
    out->rxBuffersReturned = get(HOST_RX_RETURNED);
}
