/*
 * tcpip_input, interposed: the input function of every esp_netif (netif_add(…,
 * tcpip_input) as on ESP-IDF) and whatever a driver calls directly.  The executable
 * exports it, so liblwip's callers and the firmware resolve to this one — and so does
 * the Swift reference driver, whose netif is not an esp_netif and goes straight through.
 * For an esp_netif's netif it counts the frame and matches it against the wire
 * (wire.c) before handing it to liblwip's tcpip_input.
 */
#include "probes/probes.h"

#include <lwip/tcpip.h>

err_t tcpip_input(struct pbuf *p, struct netif *inp)
{
    if (p == NULL || inp == NULL || host_netif_owner(inp) == NULL) {
        return host_real_tcpip_input(p, inp);
    }
    const u16_t len = p->tot_len;
    host_wire_input_seen(inp, p);  /* before lwIP owns p */
    const err_t err = host_real_tcpip_input(p, inp);
    if (err == ERR_OK) {
        host_count(HOST_RX_FRAMES, 1);
        host_count(HOST_RX_BYTES, len);
        host_heap_growth_frame();
    } else {
        host_count(HOST_DROPPED_BY_STACK, 1);
    }
    return err;
}
