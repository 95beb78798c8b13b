/*
 * lwIP core-lock checking that names the defect instead of aborting.
 *
 * Debian's sys_arch asserts "Function called without core lock" and aborts when a
 * core function runs outside the lock.  liblwip calls sys_check_core_locking,
 * sys_lock_tcpip_core, sys_unlock_tcpip_core and sys_mark_tcpip_thread through
 * its PLT, so the definitions below (in the executable, which exports them)
 * interpose on liblwip's own: they take the real lock via dlsym(RTLD_NEXT),
 * remember which thread holds it, and check that.  With a firmware loaded, a
 * violation is reported as "lwip-call-without-core-lock" (naming the lwIP
 * function and its caller) and the call goes on, as on an ESP32 built without
 * CONFIG_LWIP_CHECK_THREAD_SAFETY; without one it aborts like Debian's.
 */
#include "host_internal.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lwip/sys.h>
#include <lwip/tcpip.h>

#include "CEspIdfHost.h"

typedef void (*void_fn)(void);

static void_fn s_real_lock, s_real_unlock, s_real_mark;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static unsigned long s_holder;      /* pthread_t of the holder, valid while s_held */
static int s_held;
static int s_tcpip_marked;
static int s_firmware_loaded;

static void resolve(void)
{
    s_real_lock = (void_fn)dlsym(RTLD_NEXT, "sys_lock_tcpip_core");
    s_real_unlock = (void_fn)dlsym(RTLD_NEXT, "sys_unlock_tcpip_core");
    s_real_mark = (void_fn)dlsym(RTLD_NEXT, "sys_mark_tcpip_thread");
    if (s_real_lock == NULL || s_real_unlock == NULL || s_real_mark == NULL) {
        fprintf(stderr, "esp_idf_host: liblwip's sys_lock_tcpip_core/sys_unlock_tcpip_core/sys_mark_tcpip_thread "
                        "not found (is liblwip built with LWIP_TCPIP_CORE_LOCKING?)\n");
        abort();
    }
}

void sys_lock_tcpip_core(void)
{
    pthread_once(&s_once, resolve);
    s_real_lock();
    __atomic_store_n(&s_holder, (unsigned long)pthread_self(), __ATOMIC_RELAXED);
    __atomic_store_n(&s_held, 1, __ATOMIC_RELEASE);
}

void sys_unlock_tcpip_core(void)
{
    pthread_once(&s_once, resolve);
    __atomic_store_n(&s_held, 0, __ATOMIC_RELEASE);
    s_real_unlock();
}

void sys_mark_tcpip_thread(void)
{
    pthread_once(&s_once, resolve);
    s_real_mark();
    __atomic_store_n(&s_tcpip_marked, 1, __ATOMIC_RELEASE);
}

bool host_tcpip_started(void)
{
    return __atomic_load_n(&s_tcpip_marked, __ATOMIC_ACQUIRE) != 0;
}

void CEspIdfHost_setFirmwareLoaded(int loaded)
{
    __atomic_store_n(&s_firmware_loaded, loaded != 0, __ATOMIC_RELEASE);
}

bool host_firmware_loaded(void)
{
    return __atomic_load_n(&s_firmware_loaded, __ATOMIC_ACQUIRE) != 0;
}

/* "netif_set_default" or "firmware.so+0x1c2f" for a code address (static functions have no dynamic symbol,
 * so a name is used only when the address lies inside that symbol). */
static void describe(void *address, char *out, size_t size)
{
    Dl_info info;
    const ElfW(Sym) *symbol = NULL;
    if (!dladdr1(address, &info, (void **)&symbol, RTLD_DL_SYMENT)) {
        snprintf(out, size, "%p", address);
        return;
    }
    if (info.dli_sname != NULL && symbol != NULL && (char *)address >= (char *)info.dli_saddr &&
        (char *)address < (char *)info.dli_saddr + symbol->st_size) {
        snprintf(out, size, "%s", info.dli_sname);
        return;
    }
    const char *file = info.dli_fname != NULL ? strrchr(info.dli_fname, '/') : NULL;
    snprintf(out, size, "%s+0x%lx", file != NULL ? file + 1 : (info.dli_fname != NULL ? info.dli_fname : "?"),
             (unsigned long)((char *)address - (char *)info.dli_fbase));
}

void sys_check_core_locking(void)
{
    if (!host_tcpip_started()) {
        return;  /* as Debian's: lwip_init runs before tcpip_thread exists */
    }
    if (__atomic_load_n(&s_held, __ATOMIC_ACQUIRE) &&
        __atomic_load_n(&s_holder, __ATOMIC_RELAXED) == (unsigned long)pthread_self()) {
        return;
    }
    /* frame 0 is here, 1 the lwIP function that checked, 2 its caller */
    void *frames[4] = { 0 };
    int depth = backtrace(frames, 4);
    char function[128] = "an lwIP core function", caller[160] = "unknown code";
    if (depth > 1) {
        describe(frames[1], function, sizeof function);
    }
    if (depth > 2) {
        describe(frames[2], caller, sizeof caller);
    }
    if (!host_firmware_loaded()) {
        fprintf(stderr, "Assertion \"Function called without core lock\" failed: %s() called from %s "
                        "without LOCK_TCPIP_CORE()\n", function, caller);
        fflush(NULL);
        abort();
    }
    host_defect("lwip-call-without-core-lock",
                "%s() ran without the lwIP core lock (called from %s on thread %lu); wrap lwIP calls made outside "
                "the tcpip thread in LOCK_TCPIP_CORE()/UNLOCK_TCPIP_CORE() (Debian's lwIP would abort here)",
                function, caller, (unsigned long)pthread_self());
}
