// See CUartTunnelLinux.h: one helper per ioctl, because `struct ifreq` is a union and the TUN request codes are
// function-like macros, neither of which Swift imports.
#define _GNU_SOURCE
#include "CUartTunnelLinux.h"

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <linux/if_tun.h>
#include <sched.h>

_Static_assert(CUartTunnelLinux_IFNAMSIZ == IFNAMSIZ, "IFNAMSIZ changed");

// Copies a NUL-terminated name into ifr_name; the caller has validated it (1...15 bytes).
static void prepare(struct ifreq *ifr, const char *name) {
    assert(name != NULL);
    memset(ifr, 0, sizeof(*ifr));
    strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
}

static int call(int fd, unsigned long request, struct ifreq *ifr) {
    int rc;
    do {
        rc = ioctl(fd, request, ifr);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
}

int CUartTunnelLinux_tunSetInterface(int fd, const char *name, int tap, char *actualName) {
    assert(actualName != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    ifr.ifr_flags = (short)((tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI);
    int err = call(fd, TUNSETIFF, &ifr);
    if (err == 0) {
        memcpy(actualName, ifr.ifr_name, IFNAMSIZ);
        actualName[IFNAMSIZ - 1] = '\0';
    }
    return err;
}

static int getInet(int socket, const char *name, unsigned long request, uint8_t *out) {
    assert(out != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    int err = call(socket, request, &ifr);
    if (err == 0) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)&ifr.ifr_addr;
        memcpy(out, &sin->sin_addr.s_addr, 4);
    }
    return err;
}

static int setInet(int socket, const char *name, unsigned long request, const uint8_t *in) {
    assert(in != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
    sin->sin_family = AF_INET;
    memcpy(&sin->sin_addr.s_addr, in, 4);
    return call(socket, request, &ifr);
}

int CUartTunnelLinux_getIPv4Address(int socket, const char *name, uint8_t *address) {
    return getInet(socket, name, SIOCGIFADDR, address);
}

int CUartTunnelLinux_setIPv4Address(int socket, const char *name, const uint8_t *address) {
    return setInet(socket, name, SIOCSIFADDR, address);
}

int CUartTunnelLinux_getIPv4Netmask(int socket, const char *name, uint8_t *netmask) {
    return getInet(socket, name, SIOCGIFNETMASK, netmask);
}

int CUartTunnelLinux_setIPv4Netmask(int socket, const char *name, const uint8_t *netmask) {
    return setInet(socket, name, SIOCSIFNETMASK, netmask);
}

int CUartTunnelLinux_getMTU(int socket, const char *name, int *mtu) {
    assert(mtu != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    int err = call(socket, SIOCGIFMTU, &ifr);
    if (err == 0) *mtu = ifr.ifr_mtu;
    return err;
}

int CUartTunnelLinux_setMTU(int socket, const char *name, int mtu) {
    struct ifreq ifr;
    prepare(&ifr, name);
    ifr.ifr_mtu = mtu;
    return call(socket, SIOCSIFMTU, &ifr);
}

int CUartTunnelLinux_getHardwareAddress(int socket, const char *name, uint8_t *mac) {
    assert(mac != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    int err = call(socket, SIOCGIFHWADDR, &ifr);
    if (err == 0) memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    return err;
}

int CUartTunnelLinux_setHardwareAddress(int socket, const char *name, const uint8_t *mac) {
    assert(mac != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
    return call(socket, SIOCSIFHWADDR, &ifr);
}

int CUartTunnelLinux_getLinkUp(int socket, const char *name, int *up) {
    assert(up != NULL);
    struct ifreq ifr;
    prepare(&ifr, name);
    int err = call(socket, SIOCGIFFLAGS, &ifr);
    if (err == 0) *up = (ifr.ifr_flags & IFF_UP) ? 1 : 0;
    return err;
}

int CUartTunnelLinux_setLinkUp(int socket, const char *name) {
    struct ifreq ifr;
    prepare(&ifr, name);
    int err = call(socket, SIOCGIFFLAGS, &ifr);
    if (err != 0) return err;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return call(socket, SIOCSIFFLAGS, &ifr);
}

int CUartTunnelLinux_pipe(int *fds) {
    assert(fds != NULL);
    return pipe2(fds, O_CLOEXEC) < 0 ? errno : 0;
}

int CUartTunnelLinux_acceptCloexec(int listener, struct sockaddr *address, socklen_t *length) {
    return accept4(listener, address, length, SOCK_CLOEXEC);
}

int CUartTunnelLinux_enterNetworkNamespace(int fd) {
    return setns(fd, CLONE_NEWNET) == 0 ? 0 : errno;
}
