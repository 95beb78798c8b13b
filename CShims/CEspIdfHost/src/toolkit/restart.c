/*
 * What survives a chip reset, and the reset itself: the NVS partition's backing and esp_restart's hook, which
 * the Swift side answers by replacing the device process (see DeviceRestart.swift).
 */
#define _GNU_SOURCE
#include "probes/probes.h"

#include <errno.h>
#include <sys/mman.h>

#include "CEspIdfHost.h"

static void (*s_handler)(void);

static void *run_handler(void *arg)
{
    (void)arg;
    s_handler();
    return NULL;
}

/* esp_restart runs on a firmware task, whose stack is as small as the firmware asked for (a few KiB); the
 * handler (Swift, then execv) gets a thread with an ordinary stack while the task waits for it. */
static void restart_on_own_thread(void)
{
    pthread_t thread;
    if (pthread_create(&thread, NULL, run_handler, NULL) == 0) {
        pthread_join(thread, NULL);
    }
}

void CEspIdfHost_setRestartHandler(void (*handler)(void))
{
    s_handler = handler;
    host_system_set_restart_hook(handler != NULL ? restart_on_own_thread : NULL);
}

void CEspIdfHost_setResetReason(int reason)
{
    host_system_set_reset_reason(reason);
}

int CEspIdfHost_setNvsBacking(const char *path, int fd)
{
    if (path == NULL && fd < 0) {
        /* the default partition: memory that outlives the process image only across esp_restart's exec */
        fd = memfd_create("uart-tunnel-nvs", MFD_CLOEXEC);
        if (fd < 0) {
            return -errno;
        }
    }
    host_nvs_set_backing(path != NULL ? -1 : fd, path);
    return path != NULL ? 0 : fd;
}
