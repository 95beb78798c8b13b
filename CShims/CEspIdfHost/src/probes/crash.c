/*
 * Naming a firmware crash before the process dies of it.  ESP-IDF v5.4 calls many
 * driver-supplied pointers without checking them (netif->input from a driver's RX task,
 * netif->output/linkoutput from lwIP); on an ESP32 a NULL one is an InstrFetchProhibited
 * panic.  Here the CPU jumps to address 0 and the kernel raises SIGSEGV: the handler
 * reads the caller from the stack (x86-64: the return address the call pushed), names
 * the NULL pointer of the esp_netif that fits, logs a FATAL line, then restores the
 * previous handler and returns, so the fault repeats and ends the process as before.
 */
#include "probes/probes.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "esp_log.h"

static struct sigaction s_previous_segv, s_previous_bus;

/* Which NULL member of which esp_netif a call from `caller` went through. */
static void name_null_call(const char *caller, bool from_lwip, char *name, size_t name_size, char *what,
                           size_t what_size)
{
    snprintf(name, name_size, "null-function-call");
    snprintf(what, what_size, "a call through a NULL function pointer");
    for (esp_netif_t *e = host_netif_next(NULL); e != NULL; e = host_netif_next(e)) {
        const char *desc = e->if_desc != NULL ? e->if_desc : "?";
        if (from_lwip && strncmp(caller, "ip", 2) == 0 && e->lwip.output == NULL) {
            snprintf(name, name_size, "netif-output-null");
            snprintf(what, what_size, "lwIP called netif->output of \"%s\", which is NULL (esp_netif_new leaves the "
                     "lwIP netif zeroed; only netif_add's init_fn or the driver sets output)", desc);
            return;
        }
        if (from_lwip && e->lwip.linkoutput == NULL) {
            snprintf(name, name_size, "netif-linkoutput-null");
            snprintf(what, what_size, "lwIP called netif->linkoutput of \"%s\", which is NULL", desc);
            return;
        }
        if (!from_lwip && e->lwip.input == NULL) {
            snprintf(name, name_size, "netif-input-null");
            snprintf(what, what_size, "the firmware called netif->input of \"%s\", which is NULL (esp_netif_new "
                     "leaves it zero; netif_add sets it to tcpip_input in esp_netif_start, or the driver must)", desc);
            return;
        }
    }
}

static void on_fault(int signal_number, siginfo_t *info, void *context)
{
    const ucontext_t *uc = context;
#if defined(__x86_64__)
    void *pc = (void *)uc->uc_mcontext.gregs[REG_RIP];
    void *const *sp = (void *const *)uc->uc_mcontext.gregs[REG_RSP];
#else
    void *pc = info->si_addr;
    void *const *sp = NULL;
#endif
    char name[48], what[400], where[160] = "unknown code";
    if ((uintptr_t)pc < 4096 && sp != NULL) {
        void *caller = sp[0];
        host_describe_address(caller, where, sizeof where);
        const bool from_lwip = !host_in_firmware(caller);
        name_null_call(where, from_lwip, name, sizeof name, what, sizeof what);
        host_fatal_note(name, "%s, called from %s: an ESP32 panics here (InstrFetchProhibited) and resets", what,
                        where);
    } else if (host_in_firmware(pc)) {
        host_describe_address(pc, where, sizeof where);
        host_fatal_note("firmware-crash", "%s at address %p in %s: an ESP32 panics here (%s) and resets",
                        signal_number == SIGBUS ? "bus error" : "invalid memory access", info->si_addr, where,
                        signal_number == SIGBUS ? "LoadStoreAlignment" : "LoadProhibited/StoreProhibited");
    }
    sigaction(signal_number, signal_number == SIGBUS ? &s_previous_bus : &s_previous_segv, NULL);
}

void host_crash_watch_start(void)
{
    static bool started;
    if (started) {
        return;
    }
    started = true;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &s_previous_segv);
    sigaction(SIGBUS, &action, &s_previous_bus);
}
