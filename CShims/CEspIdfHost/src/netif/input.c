/*
 * tcpip_input, interposed: the input function of every esp_netif (netif_add(…,
 * tcpip_input) as on ESP-IDF) and whatever a driver calls directly.  For an
 * esp_netif's netif it counts the frame and matches it against the wire (wire.c)
 * before handing it to liblwip's tcpip_input; any other netif goes straight through.
 */
#include "host_internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <lwip/tcpip.h>

typedef err_t (*input_fn)(struct pbuf *p, struct netif *inp);

static input_fn s_real;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

static void resolve(void)
{
    s_real = (input_fn)dlsym(RTLD_NEXT, "tcpip_input");
    if (s_real == NULL) {
        fprintf(stderr, "esp_idf_host: liblwip's tcpip_input not found\n");
        abort();
    }
}

err_t host_real_tcpip_input(struct pbuf *p, struct netif *inp)
{
    pthread_once(&s_once, resolve);
    return s_real(p, inp);
}

err_t tcpip_input(struct pbuf *p, struct netif *inp)
{
    pthread_once(&s_once, resolve);
    if (p == NULL || inp == NULL || host_netif_owner(inp) == NULL) {
        return s_real(p, inp);
    }
    const u16_t len = p->tot_len;
    host_wire_input_seen(inp, p);  /* before lwIP owns p */
    const err_t err = s_real(p, inp);
    if (err == ERR_OK) {
        host_count(HOST_RX_FRAMES, 1);
        host_count(HOST_RX_BYTES, len);
    } else {
        host_count(HOST_DROPPED_BY_STACK, 1);
    }
    return err;
}
