// See CUartTunnelLinux.h: SO_PEERCRED's `struct ucred` exists only with _GNU_SOURCE, which Swift's Glibc lacks.
#define _GNU_SOURCE
#include "CUartTunnelLinux.h"

#include <errno.h>
#include <sys/socket.h>

int CUartTunnelLinux_peerCredentials(int fd, int *pid, unsigned *uid, unsigned *gid) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        return errno;
    }
    *pid = credentials.pid;
    *uid = credentials.uid;
    *gid = credentials.gid;
    return 0;
}
