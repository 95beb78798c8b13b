// Umbrella header for Debian's liblwip (pkg-config `lwip`, headers in /usr/include/lwip).
// Options come from Debian's lwipopts.h only: struct layouts depend on them, so nothing here
// may redefine an lwIP option.
#ifndef CLWIP_H
#define CLWIP_H

#include <lwip/opt.h>
#include <lwip/init.h>
#include <lwip/tcpip.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/etharp.h>
#include <lwip/ip4_addr.h>
#include <lwip/ip_addr.h>
#include <lwip/udp.h>
#include <lwip/tcp.h>
#include <lwip/sockets.h>
#include <lwip/timeouts.h>
#include <lwip/prot/ethernet.h>
#include <lwip/prot/etharp.h>
#include <netif/ethernet.h>

#endif
