/*
 * When the toolkit may start the link: on a chip, bytes reach the firmware as soon as its
 * UART driver is installed, whatever app_main does next (eppp-style code blocks in app_main
 * until the peer has answered).  So the link starts when app_main returns or when the
 * link's UART driver is installed, whichever comes first.
 */
#include "probes/probes.h"

#include "CEspIdfHost.h"
#include "drivers/drivers.h"
#include "wifi/wifi.h"

int CEspIdfHost_waitLinkReady(int timeout_ms)
{
    const uint64_t until = host_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        if (CEspIdfHost_waitMainReturned(0)) {
            return 1;
        }
        if (host_uart_link_installed() || host_wifi_sta_attached()) {  /* a Wi-Fi station's radio is the link */
            return 2;
        }
        if (host_now_ms() >= until) {
            return 0;
        }
        CEspIdfHost_waitMainReturned(5);  /* a short wait that ends early when app_main returns */
    }
}
