/*
 * liblwip's own tcpip_input.  The probes interpose tcpip_input (probes/rx_input.c) to
 * count and check every frame an esp_netif hands to lwIP; frames the host makes itself
 * (static ARP replies) go past that check through this pointer.
 */
#include "netif/netif.h"

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
