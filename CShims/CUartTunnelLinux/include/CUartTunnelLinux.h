// Linux-only helpers that Swift can not express directly: ioctls whose argument is `struct ifreq` (a union) and
// whose request codes are function-like macros (`TUNSETIFF` is `_IOW('T', 202, int)`).
// Every name carries the prefix `CUartTunnelLinux_`. Each function returns 0 on success or the errno value
// (positive) on failure, so Swift can wrap it in a typed error without reading the thread-local errno.
#ifndef CUARTTUNNELLINUX_H
#define CUARTTUNNELLINUX_H

#include <stdint.h>
#include <sys/socket.h>

/// Size of an interface name buffer including the terminating NUL (`IFNAMSIZ`, 16): names have at most 15 bytes.
#define CUartTunnelLinux_IFNAMSIZ 16

/// `ioctl(fd, TUNSETIFF)` on an open `/dev/net/tun`: attaches `fd` to interface `name` (created when absent),
/// as a TAP (`tap` != 0, Ethernet frames) or TUN (IP packets) device, always with `IFF_NO_PI` so reads and writes
/// carry the bare frame/packet. `actualName` (IFNAMSIZ bytes) receives the name the kernel used.
int CUartTunnelLinux_tunSetInterface(int fd, const char *name, int tap, char *actualName);

/// `SIOCGIFADDR` / `SIOCSIFADDR`: the interface's primary IPv4 address, 4 bytes in network order.
int CUartTunnelLinux_getIPv4Address(int socket, const char *name, uint8_t *address);
int CUartTunnelLinux_setIPv4Address(int socket, const char *name, const uint8_t *address);

/// `SIOCGIFNETMASK` / `SIOCSIFNETMASK`: the netmask of the primary IPv4 address, 4 bytes in network order.
int CUartTunnelLinux_getIPv4Netmask(int socket, const char *name, uint8_t *netmask);
int CUartTunnelLinux_setIPv4Netmask(int socket, const char *name, const uint8_t *netmask);

/// `SIOCGIFMTU` / `SIOCSIFMTU`.
int CUartTunnelLinux_getMTU(int socket, const char *name, int *mtu);
int CUartTunnelLinux_setMTU(int socket, const char *name, int mtu);

/// `SIOCGIFHWADDR` / `SIOCSIFHWADDR` (Ethernet, 6 bytes). Only meaningful for TAP interfaces.
int CUartTunnelLinux_getHardwareAddress(int socket, const char *name, uint8_t *mac);
int CUartTunnelLinux_setHardwareAddress(int socket, const char *name, const uint8_t *mac);

/// `SIOCGIFFLAGS`: `*up` becomes 1 when `IFF_UP` is set.
int CUartTunnelLinux_getLinkUp(int socket, const char *name, int *up);
/// `SIOCGIFFLAGS` then `SIOCSIFFLAGS` with `IFF_UP | IFF_RUNNING` added, keeping every other flag.
int CUartTunnelLinux_setLinkUp(int socket, const char *name);

/// `pipe2(fds, O_CLOEXEC)`: glibc declares pipe2 only under _GNU_SOURCE, which Swift's Glibc module lacks.
int CUartTunnelLinux_pipe(int *fds);

/// `accept4(listener, address, length, SOCK_CLOEXEC)`, also GNU-only. Unlike the helpers above it keeps the
/// syscall convention (new descriptor, or -1 with errno set) so the caller's EINTR retry applies.
int CUartTunnelLinux_acceptCloexec(int listener, struct sockaddr *address, socklen_t *length);

/// `setns(fd, CLONE_NEWNET)` for the calling thread only (GNU-only too): sockets it then creates live in that
/// network namespace for their whole life, whichever thread uses them later. Returns 0 or the errno value.
int CUartTunnelLinux_enterNetworkNamespace(int fd);

#endif
