/*
 * Naming a firmware crash before the process dies of it.  ESP-IDF v5.4 calls many
 * driver-supplied pointers without checking them (netif->input from a driver's RX task,
 * netif->output/linkoutput from lwIP); on an ESP32 a NULL one is an InstrFetchProhibited
 * panic.  Here the CPU jumps to address 0 and the kernel raises SIGSEGV: the handler
 * reads the caller from the stack (x86-64: the return address the call pushed), names
 * the NULL pointer of the esp_netif that fits, logs a FATAL line, then restores the
 * previous handler and returns, so the fault repeats and ends the process as before.
 * A fault in a task's stack guard is a stack overflow (rtos/task_stack.c).  Each firmware
 * fault is named with the signal, the firmware task and the function and source line
 * (addr2line on the firmware object, kept on disk while loaded), then ends the process
 * by the signal's default action.
 */
#include "probes/probes.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
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

/* "the firmware task \"uart_rx\"" or "thread \"uart-link\"" (not a firmware task). */
static void name_thread(char *out, size_t size)
{
    const char *task = host_current_task_name();
    if (task != NULL) {
        snprintf(out, size, "firmware task \"%s\"", task);
        return;
    }
    char name[32] = "?";
    pthread_getname_np(pthread_self(), name, sizeof name);
    snprintf(out, size, "thread \"%s\" (not a firmware task)", name);
}

/* Where an address lies: "rx_task at defective_tunnel.c:120" from the DWARF, else the symbol or image+offset. */
static void locate(const void *address, char *out, size_t size)
{
    if (!host_symbolize(address, out, size)) {
        host_describe_address(address, out, size);
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
    const char *signal_name = signal_number == SIGBUS ? "SIGBUS" : "SIGSEGV";
    char name[48], what[400], where[320] = "unknown code", thread[64];
    name_thread(thread, sizeof thread);
    const char *task = NULL;
    uint32_t requested = 0;
    bool firmware_fault = true;
    if (host_task_stack_fault(info->si_addr, &task, &requested)) {
        locate(pc, where, sizeof where);
        /* the chip's canary check ends in vApplicationStackOverflowHook (FreeRTOS-Kernel/portable/xtensa/port.c) */
        host_fatal_note("task-stack-overflow", "task \"%s\" ran past the %u-byte stack it asked for (xTaskCreate's "
                        "usStackDepth, bytes on ESP-IDF) in %s (%s at %p): an ESP32 stops here with \"A stack "
                        "overflow in task %s has been detected\" and resets", task, (unsigned)requested, where,
                        signal_name, info->si_addr, task);
    } else if ((uintptr_t)pc < 4096 && sp != NULL) {
        void *caller = sp[0];
        host_describe_address(caller, where, sizeof where);
        const bool from_lwip = !host_in_firmware(caller);
        name_null_call(where, from_lwip, name, sizeof name, what, sizeof what);
        char line[320];
        /* the return address is the instruction after the call: one byte back is the call's own line */
        if (host_symbolize((const char *)caller - 1, line, sizeof line)) {
            snprintf(where + strlen(where), sizeof where - strlen(where), " (%s)", line);
        }
        host_fatal_note(name, "%s, called from %s on the %s (%s): an ESP32 panics here (InstrFetchProhibited) and "
                        "resets", what, where, thread, signal_name);
    } else if (host_in_firmware(pc)) {
        locate(pc, where, sizeof where);
        host_fatal_note("firmware-crash", "%s %s at address %p in %s on the %s: an ESP32 panics here (%s) and "
                        "resets", signal_name, signal_number == SIGBUS ? "bus error" : "invalid memory access",
                        info->si_addr, where, thread, signal_number == SIGBUS ? "LoadStoreAlignment"
                                                                            : "LoadProhibited/StoreProhibited");
    } else {
        firmware_fault = false;
    }
    if (firmware_fault) {
        /* the report above is the diagnosis: end with the signal's default action, no runtime dump on top */
        host_remove_firmware_file();
        signal(signal_number, SIG_DFL);
        return;
    }
    host_remove_firmware_file();  /* the process dies of this fault too: no exit handler will run */
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
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;  /* a task's signal stack: see rtos/task_stack.c */
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &s_previous_segv);
    sigaction(SIGBUS, &action, &s_previous_bus);
}
