/* The firmware's CONFIG_LWIP_IP_FORWARD, read by Swift from the project's sdkconfig.h, for the netif layer's
 * forwarding decision (netif/ip_forward.c). */
#include "probes/probes.h"

#include "CEspIdfHost.h"

void CEspIdfHost_setIpForward(int on)
{
    host_netif_set_ip_forward(on != 0);
}

uint64_t CEspIdfHost_forwardsRefused(void)
{
    return host_netif_forwards_refused();
}
