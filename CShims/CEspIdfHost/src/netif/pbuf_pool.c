/*
 * PBUF_POOL for firmware on Debian's liblwip.
 *
 * Debian's liblwip 2.1.3 was built with 616-byte PBUF_POOL elements while its pbuf
 * code and headers assume PBUF_POOL_BUFSIZE 1536: a pool pbuf bigger than ~590
 * bytes overruns its heap block, and glibc aborts some time later under load.
 * ESP-IDF drivers often allocate received frames from PBUF_POOL, which is fine on
 * an ESP32.  So pbuf_alloc is interposed (liblwip calls it through its PLT too):
 * when the firmware asks for PBUF_POOL and the library's pool is too small, it
 * gets PBUF_RAM — one contiguous pbuf, what a 1536-byte pool element would have
 * given it — and the log says so once.  Everyone else's calls pass through.
 */
#include "netif/netif.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <lwip/pbuf.h>
#include <lwip/priv/memp_priv.h>

#include "CEspIdfHost.h"
#include "esp_log.h"

extern const struct memp_desc memp_PBUF_POOL;

typedef struct pbuf *(*pbuf_alloc_fn)(pbuf_layer layer, u16_t length, pbuf_type type);

static pbuf_alloc_fn s_real;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static bool s_pool_too_small;
static int s_warned;

static void resolve(void)
{
    s_real = (pbuf_alloc_fn)dlsym(RTLD_NEXT, "pbuf_alloc");
    if (s_real == NULL) {
        fprintf(stderr, "esp_idf_host: liblwip's pbuf_alloc not found\n");
        abort();
    }
    const size_t promised = LWIP_MEM_ALIGN_SIZE(sizeof(struct pbuf)) + LWIP_MEM_ALIGN_SIZE(PBUF_POOL_BUFSIZE);
    s_pool_too_small = memp_PBUF_POOL.size < promised;
}

struct pbuf *pbuf_alloc(pbuf_layer layer, u16_t length, pbuf_type type)
{
    pthread_once(&s_once, resolve);
    if (type == PBUF_POOL && s_pool_too_small && host_in_firmware(__builtin_return_address(0))) {
        if (__atomic_exchange_n(&s_warned, 1, __ATOMIC_RELAXED) == 0) {
            host_log_line(ESP_LOG_INFO, HOST_TAG, "the firmware allocates PBUF_POOL pbufs; Debian's liblwip "
                                  "pool elements are %u bytes, not the %d-byte buffers its headers promise, so the "
                                  "host layer gives it PBUF_RAM pbufs instead (same size, contiguous)",
                                  (unsigned)memp_PBUF_POOL.size, (int)PBUF_POOL_BUFSIZE);
        }
        type = PBUF_RAM;
    }
    return s_real(layer, length, type);
}
