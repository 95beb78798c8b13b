/*
 * PBUF_POOL for firmware on Debian's liblwip.
 *
 * Debian's liblwip 2.1.3 was built with 616-byte PBUF_POOL elements while its pbuf
 * code and headers assume PBUF_POOL_BUFSIZE 1536: a pool pbuf bigger than ~590
 * bytes overruns its heap block, and glibc aborts some time later under load.
 * ESP-IDF drivers often allocate received frames from PBUF_POOL, which is fine on
 * an ESP32.  So pbuf_alloc is interposed (liblwip calls it through its PLT too):
 * when the firmware asks for PBUF_POOL and the library's pool does not match its
 * headers, it gets PBUF_RAM — one contiguous pbuf, what a 1536-byte pool element
 * would have given it — and the log says so once.  Everyone else's calls pass
 * through.  The check and the substitution are the lwIP shim's
 * (CLwIPShims_rxPbufType), the same the Swift netif allocates with.
 */
#include "netif/netif.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <lwip/pbuf.h>

#include "CEspIdfHost.h"
#include "CLwIPShims.h"
#include "esp_log.h"

typedef struct pbuf *(*pbuf_alloc_fn)(pbuf_layer layer, u16_t length, pbuf_type type);

static pbuf_alloc_fn s_real;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static int s_warned;

static void resolve(void)
{
    s_real = (pbuf_alloc_fn)dlsym(RTLD_NEXT, "pbuf_alloc");
    if (s_real == NULL) {
        fprintf(stderr, "esp_idf_host: liblwip's pbuf_alloc not found\n");
        abort();
    }
}

struct pbuf *pbuf_alloc(pbuf_layer layer, u16_t length, pbuf_type type)
{
    pthread_once(&s_once, resolve);
    const pbuf_type usable = CLwIPShims_rxPbufType(type);
    if (usable != type && host_in_firmware(__builtin_return_address(0))) {
        if (__atomic_exchange_n(&s_warned, 1, __ATOMIC_RELAXED) == 0) {
            host_log_line(ESP_LOG_INFO, HOST_TAG, "the firmware allocates PBUF_POOL pbufs; Debian's liblwip "
                                  "pool elements are %u bytes, not the %u bytes its headers promise, so the "
                                  "host layer gives it PBUF_RAM pbufs instead (same size, contiguous)",
                                  (unsigned)CLwIPShims_libraryPoolElementSize(),
                                  (unsigned)CLwIPShims_headerPoolElementSize());
        }
        type = usable;
    }
    return s_real(layer, length, type);
}
