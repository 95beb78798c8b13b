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
#include "netif/netif.h"

#include <dlfcn.h>
#include <execinfo.h>
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

static bool held_by_me(void)
{
    return __atomic_load_n(&s_held, __ATOMIC_ACQUIRE) &&
           __atomic_load_n(&s_holder, __ATOMIC_RELAXED) == (unsigned long)pthread_self();
}

bool host_core_lock(void)
{
    /* Before tcpip_init there is no core mutex to take (lwIP creates it there) and no tcpip thread to keep out:
     * a firmware that never called esp_netif_init must not crash when the toolkit reads its state. */
    if (!host_tcpip_started()) {
        return false;
    }
    if (held_by_me()) {
        return false;  /* Debian's core lock is not recursive */
    }
    sys_lock_tcpip_core();
    return true;
}

void host_core_unlock(bool taken)
{
    if (taken) {
        sys_unlock_tcpip_core();
    }
}

bool host_tcpip_started(void)
{
    return __atomic_load_n(&s_tcpip_marked, __ATOMIC_ACQUIRE) != 0;
}

void host_set_firmware_loaded(bool loaded)
{
    __atomic_store_n(&s_firmware_loaded, loaded ? 1 : 0, __ATOMIC_RELEASE);
}

bool host_firmware_loaded(void)
{
    return __atomic_load_n(&s_firmware_loaded, __ATOMIC_ACQUIRE) != 0;
}

void sys_check_core_locking(void)
{
    if (!host_tcpip_started()) {
        return;  /* as Debian's: lwip_init runs before tcpip_thread exists */
    }
    if (held_by_me()) {
        return;
    }
    /* frame 0 is here, 1 the lwIP function that checked, 2 its caller */
    void *frames[4] = { 0 };
    int depth = backtrace(frames, 4);
    char function[128] = "an lwIP core function", caller[160] = "unknown code";
    if (depth > 1) {
        host_describe_address(frames[1], function, sizeof function);
    }
    if (depth > 2) {
        host_describe_address(frames[2], caller, sizeof caller);
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
