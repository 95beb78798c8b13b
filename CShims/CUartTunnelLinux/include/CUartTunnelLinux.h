// Linux-only helpers that Swift can not express directly: ioctls whose argument is `struct ifreq` (a union) and
// whose request codes are function-like macros (`TUNSETIFF` is `_IOW('T', 202, int)`).
// Every name carries the prefix `CUartTunnelLinux_`. Each function returns 0 on success or the errno value
// (positive) on failure, so Swift can wrap it in a typed error without reading the thread-local errno.
#ifndef CUARTTUNNELLINUX_H
#define CUARTTUNNELLINUX_H

#include <stdint.h>
#include <sys/socket.h>
#include "CUartTunnelLinuxSpawn.h"

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

// Serial ports and pseudo-terminals (serial.c). termios2 and <termios.h> can not share a file, so these take and
// return plain integers: the Swift side (SerialPort, PseudoTerminal) gives them types.

/// Parity for `CUartTunnelLinux_serialConfigure`.
enum { CUartTunnelLinux_PARITY_NONE = 0, CUartTunnelLinux_PARITY_EVEN = 1, CUartTunnelLinux_PARITY_ODD = 2,
       CUartTunnelLinux_PARITY_MARK = 3, CUartTunnelLinux_PARITY_SPACE = 4 };

/// Raw mode (no echo, no line editing, no CR/LF mapping, no signals, VMIN 1 / VTIME 0), `dataBits` 5...8,
/// `parity`, `stopBits` 1 or 2, RTS/CTS flow control when `rtscts` != 0, receiver on, modem lines ignored, at
/// exactly `baud` in both directions: `TCSETS2` with `BOTHER`, so rates outside the Bxxx table (250000,
/// 3000000 on drivers that take it) need no nearest-match. EINVAL for a format Linux termios cannot express.
int CUartTunnelLinux_serialConfigure(int fd, unsigned baud, int dataBits, int parity, int stopBits, int rtscts);

/// `TCGETS2`: the rates and format the driver accepted (a driver may round: read back to report the truth).
int CUartTunnelLinux_serialSettings(int fd, unsigned *inputBaud, unsigned *outputBaud, int *dataBits, int *parity,
                                    int *stopBits, int *rtscts, int *raw);

/// `TIOCEXCL`: further opens fail with EBUSY (except for CAP_SYS_ADMIN). `TIOCGEXCL` reads it back.
int CUartTunnelLinux_serialSetExclusive(int fd);
int CUartTunnelLinux_serialIsExclusive(int fd, int *exclusive);

/// `posix_openpt` (O_RDWR | O_NOCTTY | O_CLOEXEC), `grantpt`, `unlockpt` and `ptsname_r` (GNU-only): a new
/// pseudo-terminal whose master becomes `*master` and whose slave path (e.g. /dev/pts/3) is written to `path`.
/// The slave is put in raw mode through the master (termios ioctls on a master act on its slave), so nothing an
/// opener does before its own setup echoes bytes back into the tunnel. The slave is opened and closed once, so the
/// master reports a hang-up (no opener) from the start, as it does after an opener leaves.
int CUartTunnelLinux_openPseudoTerminal(int *master, char *path, unsigned long pathLength);

// SO_PEERCRED of a unix socket: the other end's pid, uid and gid. Returns 0 or an errno.
int CUartTunnelLinux_peerCredentials(int fd, int *pid, unsigned *uid, unsigned *gid);

#endif
