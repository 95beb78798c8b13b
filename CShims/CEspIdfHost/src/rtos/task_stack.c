/*
 * Task stacks as on the chip.  ESP-IDF's xTaskCreate takes usStackDepth in bytes
 * (v5.4 components/freertos/FreeRTOS-Kernel/include/freertos/task.h, an ESP-IDF
 * change from vanilla FreeRTOS's words), and the default configCHECK_FOR_STACK_OVERFLOW
 * (FREERTOS_CHECK_STACKOVERFLOW_CANARY) ends the firmware through
 * vApplicationStackOverflowHook (portable/xtensa/port.c) when a task runs past it.
 *
 * Here a task's thread gets the bytes it asked for plus HOST_STACK_ALLOWANCE: code that
 * runs on the task's stack on the host but not on the chip, or leaner there, needs it —
 * glibc's vsnprintf under the log, the HTTP server's request buffer, and the toolkit's
 * Swift callbacks (the TX path into the paced line; a first call into the Swift runtime
 * instantiating metadata took more than 16 KiB).  The allowance is fixed, so runaway
 * recursion or a buffer far beyond the request still overflows; a small overrun does not.  Below the stack lie GUARD bytes of inaccessible pages: an
 * overflow faults there (also a frame up to that size that skips over the lowest
 * page), and the task's signal stack lets crash.c name it instead of dying silently.
 */
#include "rtos_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HOST_STACK_ALLOWANCE (128u * 1024u)
#define GUARD (512u * 1024u)
#define SIGNAL_STACK (64u * 1024u)

void host_task_stack_attr(pthread_attr_t *attr, uint32_t requested)
{
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = (size_t)requested + HOST_STACK_ALLOWANCE;
    const long minimum = sysconf(_SC_THREAD_STACK_MIN);
    if (minimum > 0 && size < (size_t)minimum) {
        size = (size_t)minimum;
    }
    size = (size + page - 1) / page * page;
    pthread_attr_setstacksize(attr, size);
    pthread_attr_setguardsize(attr, GUARD);
}

void host_task_stack_enter(struct host_task *task)
{
    pthread_attr_t attr;
    void *low = NULL;
    size_t size = 0, guard = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &low, &size);
        pthread_attr_getguardsize(&attr, &guard);
        pthread_attr_destroy(&attr);
        /* glibc puts the guard just below the lowest usable address */
        task->guard_low = (uintptr_t)low - guard;
        task->guard_high = (uintptr_t)low;
    }
    void *stack = mmap(NULL, SIGNAL_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack != MAP_FAILED) {
        stack_t alternate = {.ss_sp = stack, .ss_size = SIGNAL_STACK, .ss_flags = 0};
        if (sigaltstack(&alternate, NULL) == 0) {
            task->signal_stack = stack;
        } else {
            munmap(stack, SIGNAL_STACK);
        }
    }
}

void host_task_stack_leave(struct host_task *task)
{
    if (task->signal_stack != NULL) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        munmap(task->signal_stack, SIGNAL_STACK);
        task->signal_stack = NULL;
    }
}

bool host_task_stack_fault(const void *address, const char **name, uint32_t *requested)
{
    const struct host_task *task = host_current_task();
    if (task == NULL || task->guard_high == 0 || (uintptr_t)address < task->guard_low ||
        (uintptr_t)address >= task->guard_high) {
        return false;
    }
    *name = task->name;
    *requested = task->stack_requested;
    return true;
}

const char *host_current_task_name(void)
{
    const struct host_task *task = host_current_task();
    return task != NULL ? task->name : NULL;
}
