/*
 * A firmware image is loaded: the netif layer reports missing core locks instead of
 * aborting like Debian's sys_arch, the probes attach to the layers' hooks, and crashes
 * inside the image are named.
 */
#include "probes/probes.h"

#include "CEspIdfHost.h"

void CEspIdfHost_setFirmwareLoaded(int loaded)
{
    host_set_firmware_loaded(loaded != 0);
    host_netif_set_linkoutput_observer(loaded ? host_linkoutput_checks : NULL);
}

void CEspIdfHost_setFirmwareImage(const void *address)
{
    host_set_firmware_image(address);
    host_crash_watch_start();
}

void CEspIdfHost_setMaxFrame(size_t bytes)
{
    host_tx_stream_set_max_frame(bytes);
}

int CEspIdfHost_startStack(void)
{
    return esp_netif_init();  /* once per process, and not at all if tcpip_thread already runs */
}
