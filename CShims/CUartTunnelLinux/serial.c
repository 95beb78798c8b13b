// See CUartTunnelLinux.h: serial ports through termios2 (arbitrary rates with BOTHER) and pseudo-terminals.
// <asm/termbits.h> defines `struct termios2` but clashes with glibc's <termios.h>, so this file uses only the
// kernel's definitions and ioctl(2); the pty calls come from <stdlib.h>.
#define _GNU_SOURCE
#include "CUartTunnelLinux.h"

#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int io(int fd, unsigned long request, void *argument) {
    int rc;
    do {
        rc = ioctl(fd, request, argument);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
}

// What "raw" means here: cfmakeraw(3)'s flags, plus a receiver that ignores modem-control lines.
static void makeRaw(struct termios2 *t) {
    t->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF | IXANY | INPCK);
    t->c_oflag &= ~OPOST;
    t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag |= CREAD | CLOCAL;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

int CUartTunnelLinux_serialConfigure(int fd, unsigned baud, int dataBits, int parity, int stopBits, int rtscts) {
    static const tcflag_t sizes[] = {CS5, CS6, CS7, CS8};
    if (dataBits < 5 || dataBits > 8 || (stopBits != 1 && stopBits != 2) || parity < 0 || parity > 4 || baud == 0) {
        return EINVAL;
    }
    struct termios2 t;
    int rc = io(fd, TCGETS2, &t);
    if (rc != 0) return rc;
    makeRaw(&t);
    t.c_cflag &= ~(CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS | CBAUD | (CBAUD << IBSHIFT));
    t.c_cflag |= sizes[dataBits - 5];
    switch (parity) {
    case CUartTunnelLinux_PARITY_EVEN: t.c_cflag |= PARENB; break;
    case CUartTunnelLinux_PARITY_ODD: t.c_cflag |= PARENB | PARODD; break;
    case CUartTunnelLinux_PARITY_MARK: t.c_cflag |= PARENB | CMSPAR | PARODD; break;
    case CUartTunnelLinux_PARITY_SPACE: t.c_cflag |= PARENB | CMSPAR; break;
    default: break;
    }
    if (stopBits == 2) t.c_cflag |= CSTOPB;
    if (rtscts) t.c_cflag |= CRTSCTS;
    t.c_cflag |= BOTHER | (BOTHER << IBSHIFT);
    t.c_ispeed = baud;
    t.c_ospeed = baud;
    return io(fd, TCSETS2, &t);
}

int CUartTunnelLinux_serialSettings(int fd, unsigned *inputBaud, unsigned *outputBaud, int *dataBits, int *parity,
                                    int *stopBits, int *rtscts, int *raw) {
    struct termios2 t;
    int rc = io(fd, TCGETS2, &t);
    if (rc != 0) return rc;
    *inputBaud = t.c_ispeed;
    *outputBaud = t.c_ospeed;
    switch (t.c_cflag & CSIZE) {
    case CS5: *dataBits = 5; break;
    case CS6: *dataBits = 6; break;
    case CS7: *dataBits = 7; break;
    default: *dataBits = 8; break;
    }
    if (!(t.c_cflag & PARENB)) {
        *parity = CUartTunnelLinux_PARITY_NONE;
    } else if (t.c_cflag & CMSPAR) {
        *parity = (t.c_cflag & PARODD) ? CUartTunnelLinux_PARITY_MARK : CUartTunnelLinux_PARITY_SPACE;
    } else {
        *parity = (t.c_cflag & PARODD) ? CUartTunnelLinux_PARITY_ODD : CUartTunnelLinux_PARITY_EVEN;
    }
    *stopBits = (t.c_cflag & CSTOPB) ? 2 : 1;
    *rtscts = (t.c_cflag & CRTSCTS) ? 1 : 0;
    *raw = !(t.c_lflag & (ECHO | ICANON | ISIG | IEXTEN)) && !(t.c_oflag & OPOST) &&
           !(t.c_iflag & (ICRNL | INLCR | IGNCR | IXON | ISTRIP)) && t.c_cc[VMIN] == 1 && t.c_cc[VTIME] == 0;
    return 0;
}

int CUartTunnelLinux_serialSetExclusive(int fd) {
    return io(fd, TIOCEXCL, NULL);
}

int CUartTunnelLinux_serialIsExclusive(int fd, int *exclusive) {
    return io(fd, TIOCGEXCL, exclusive);
}

int CUartTunnelLinux_openPseudoTerminal(int *master, char *path, unsigned long pathLength) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = 0;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) {
        rc = errno;
    } else {
        rc = ptsname_r(fd, path, pathLength);
    }
    if (rc == 0) {
        struct termios2 t;
        rc = io(fd, TCGETS2, &t);
        if (rc == 0) {
            makeRaw(&t);
            t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB | CSTOPB | CRTSCTS)) | CS8;
            rc = io(fd, TCSETS2, &t);
        }
    }
    if (rc == 0) {
        // A slave never opened does not report a hang-up on the master; one opened and closed does. Open it once,
        // so "no opener" reads the same before the first opener as after the last one.
        int slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) {
            rc = errno;
        } else {
            close(slave);
        }
    }
    if (rc != 0) {
        close(fd);
        return rc;
    }
    *master = fd;
    return 0;
}
