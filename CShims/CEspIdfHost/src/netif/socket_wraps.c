/*
 * The firmware's POSIX socket and descriptor calls.  Its object is linked with --wrap=<name> for each name here
 * (FirmwareCompiler.socketWrapFlags, fuzz/build.sh), so socket(), send(), close()… land in these __wrap_ functions,
 * exported by the executable like the heap's: a socket descriptor (netif/sockets.h) goes to lwIP, anything else to
 * Linux (the firmware's files, stdout).  ESP-IDF v5.4 does the same in two places: components/lwip/include/lwip/
 * sockets.h maps the socket names to lwip_* (its Linux target includes it from components/lwip/port/linux/include/
 * sys/socket.h), and components/lwip/port/linux/vfs_lwip.c wraps read/write/select/fcntl/close by descriptor.
 * Here every name is routed by descriptor, because Debian's lwIP numbers collide with Linux's.
 * The real function: HOST_WRAPPED_REAL (netif/sockets.h).
 */
#include "netif/netif.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define REAL HOST_WRAPPED_REAL

extern int __real_accept(int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern int __real_bind(int, const struct sockaddr *, socklen_t) __attribute__((weak));
extern int __real_listen(int, int) __attribute__((weak));
extern int __real_connect(int, const struct sockaddr *, socklen_t) __attribute__((weak));
extern ssize_t __real_send(int, const void *, size_t, int) __attribute__((weak));
extern ssize_t __real_recv(int, void *, size_t, int) __attribute__((weak));
extern ssize_t __real_sendto(int, const void *, size_t, int, const struct sockaddr *, socklen_t)
    __attribute__((weak));
extern ssize_t __real_recvfrom(int, void *, size_t, int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern ssize_t __real_sendmsg(int, const struct msghdr *, int) __attribute__((weak));
extern ssize_t __real_recvmsg(int, struct msghdr *, int) __attribute__((weak));
extern int __real_setsockopt(int, int, int, const void *, socklen_t) __attribute__((weak));
extern int __real_getsockopt(int, int, int, void *, socklen_t *) __attribute__((weak));
extern int __real_getsockname(int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern int __real_getpeername(int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern int __real_shutdown(int, int) __attribute__((weak));
extern int __real_close(int) __attribute__((weak));
extern ssize_t __real_read(int, void *, size_t) __attribute__((weak));
extern ssize_t __real_write(int, const void *, size_t) __attribute__((weak));
extern int __real_select(int, fd_set *, fd_set *, fd_set *, struct timeval *) __attribute__((weak));
extern int __real_poll(struct pollfd *, nfds_t, int) __attribute__((weak));
extern int __real_fcntl(int, int, ...) __attribute__((weak));
extern int __real_ioctl(int, unsigned long, ...) __attribute__((weak));

/* The exported entry points (declared here: only the wrapped firmware calls them). */
int __wrap_socket(int domain, int type, int protocol);
int __wrap_accept(int fd, struct sockaddr *addr, socklen_t *addrlen);
int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t addrlen);
int __wrap_listen(int fd, int backlog);
int __wrap_connect(int fd, const struct sockaddr *addr, socklen_t addrlen);
ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags);
ssize_t __wrap_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen);
ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen);
ssize_t __wrap_sendmsg(int fd, const struct msghdr *message, int flags);
ssize_t __wrap_recvmsg(int fd, struct msghdr *message, int flags);
int __wrap_setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int __wrap_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int __wrap_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen);
int __wrap_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen);
int __wrap_shutdown(int fd, int how);
int __wrap_close(int fd);
ssize_t __wrap_read(int fd, void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
int __wrap_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
int __wrap_poll(struct pollfd *fds, nfds_t count, int timeout_ms);
int __wrap_fcntl(int fd, int cmd, ...);
int __wrap_ioctl(int fd, unsigned long request, ...);

/* A new socket is always lwIP's: ESP-IDF has no other socket (a Linux socket would bypass the tunnel). */
int __wrap_socket(int domain, int type, int protocol)
{
    return host_sock_socket(domain, type, protocol);
}

int __wrap_accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    return host_sock_in_range(fd) ? host_sock_accept(fd, addr, addrlen) : REAL(accept)(fd, addr, addrlen);
}

int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    return host_sock_in_range(fd) ? host_sock_bind(fd, addr, addrlen) : REAL(bind)(fd, addr, addrlen);
}

int __wrap_listen(int fd, int backlog)
{
    return host_sock_in_range(fd) ? host_sock_listen(fd, backlog) : REAL(listen)(fd, backlog);
}

int __wrap_connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    return host_sock_in_range(fd) ? host_sock_connect(fd, addr, addrlen) : REAL(connect)(fd, addr, addrlen);
}

ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags)
{
    return host_sock_in_range(fd) ? host_sock_send(fd, buf, len, flags) : REAL(send)(fd, buf, len, flags);
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
    return host_sock_in_range(fd) ? host_sock_recv(fd, buf, len, flags) : REAL(recv)(fd, buf, len, flags);
}

ssize_t __wrap_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
{
    return host_sock_in_range(fd) ? host_sock_sendto(fd, buf, len, flags, to, tolen)
                                  : REAL(sendto)(fd, buf, len, flags, to, tolen);
}

ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)
{
    return host_sock_in_range(fd) ? host_sock_recvfrom(fd, buf, len, flags, from, fromlen)
                                  : REAL(recvfrom)(fd, buf, len, flags, from, fromlen);
}

/* lwip/sockets.h maps sendmsg/recvmsg to lwip_sendmsg/lwip_recvmsg in v5.4 as it maps send/recv. */
ssize_t __wrap_sendmsg(int fd, const struct msghdr *message, int flags)
{
    return host_sock_in_range(fd) ? host_sock_sendmsg(fd, message, flags) : REAL(sendmsg)(fd, message, flags);
}

ssize_t __wrap_recvmsg(int fd, struct msghdr *message, int flags)
{
    return host_sock_in_range(fd) ? host_sock_recvmsg(fd, message, flags) : REAL(recvmsg)(fd, message, flags);
}

int __wrap_setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
    return host_sock_in_range(fd) ? host_sock_setsockopt(fd, level, name, value, len)
                                  : REAL(setsockopt)(fd, level, name, value, len);
}

int __wrap_getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
    return host_sock_in_range(fd) ? host_sock_getsockopt(fd, level, name, value, len)
                                  : REAL(getsockopt)(fd, level, name, value, len);
}

int __wrap_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    return host_sock_in_range(fd) ? host_sock_getsockname(fd, addr, addrlen) : REAL(getsockname)(fd, addr, addrlen);
}

int __wrap_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    return host_sock_in_range(fd) ? host_sock_getpeername(fd, addr, addrlen) : REAL(getpeername)(fd, addr, addrlen);
}

int __wrap_shutdown(int fd, int how)
{
    return host_sock_in_range(fd) ? host_sock_shutdown(fd, how) : REAL(shutdown)(fd, how);
}

int __wrap_close(int fd)
{
    return host_sock_in_range(fd) ? host_sock_close(fd) : REAL(close)(fd);
}

ssize_t __wrap_read(int fd, void *buf, size_t len)
{
    return host_sock_in_range(fd) ? host_sock_read(fd, buf, len) : REAL(read)(fd, buf, len);
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
    return host_sock_in_range(fd) ? host_sock_write(fd, buf, len) : REAL(write)(fd, buf, len);
}

static int linux_poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    return REAL(poll)(fds, count, timeout_ms);
}

int __wrap_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)
{
    if (nfds <= HOST_SOCKET_FD_BASE) {
        return REAL(select)(nfds, readfds, writefds, exceptfds, timeout);   /* no socket descriptor can be in it */
    }
    return host_sock_select(nfds, readfds, writefds, exceptfds, timeout, linux_poll);
}

int __wrap_poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    return host_sock_poll(fds, count, timeout_ms, linux_poll);
}

int __wrap_fcntl(int fd, int cmd, ...)
{
    va_list args;
    va_start(args, cmd);
    void *arg = va_arg(args, void *);   /* an int or a pointer, as glibc's fcntl reads it */
    va_end(args);
    return host_sock_in_range(fd) ? host_sock_fcntl(fd, cmd, (int)(intptr_t)arg) : REAL(fcntl)(fd, cmd, arg);
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
    va_list args;
    va_start(args, request);
    void *arg = va_arg(args, void *);
    va_end(args);
    return host_sock_in_range(fd) ? host_sock_ioctl(fd, (long)request, arg) : REAL(ioctl)(fd, request, arg);
}

/* The lwip_* names, for firmware that calls them directly (ESP-IDF's examples mix them with the POSIX names, e.g.
 * udp_server's lwip_setsockopt(sock, IPPROTO_IP, IP_PKTINFO, …)): on the chip lwIP's numbers are the descriptors
 * themselves (LWIP_SOCKET_OFFSET), so they take and give descriptors here too; a number below the range is
 * EBADF, as lwIP's get_socket answers one below LWIP_SOCKET_OFFSET. */
int __wrap_lwip_socket(int domain, int type, int protocol);
int __wrap_lwip_accept(int fd, struct sockaddr *addr, socklen_t *addrlen);
int __wrap_lwip_bind(int fd, const struct sockaddr *addr, socklen_t addrlen);
int __wrap_lwip_listen(int fd, int backlog);
int __wrap_lwip_connect(int fd, const struct sockaddr *addr, socklen_t addrlen);
ssize_t __wrap_lwip_send(int fd, const void *buf, size_t len, int flags);
ssize_t __wrap_lwip_recv(int fd, void *buf, size_t len, int flags);
ssize_t __wrap_lwip_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                           socklen_t tolen);
ssize_t __wrap_lwip_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen);
ssize_t __wrap_lwip_sendmsg(int fd, const struct msghdr *message, int flags);
ssize_t __wrap_lwip_recvmsg(int fd, struct msghdr *message, int flags);
int __wrap_lwip_setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int __wrap_lwip_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int __wrap_lwip_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen);
int __wrap_lwip_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen);
int __wrap_lwip_shutdown(int fd, int how);
int __wrap_lwip_close(int fd);
ssize_t __wrap_lwip_read(int fd, void *buf, size_t len);
ssize_t __wrap_lwip_write(int fd, const void *buf, size_t len);
int __wrap_lwip_poll(struct pollfd *fds, nfds_t count, int timeout_ms);
int __wrap_lwip_fcntl(int fd, int cmd, int value);
int __wrap_lwip_ioctl(int fd, long cmd, void *arg);

int __wrap_lwip_socket(int domain, int type, int protocol)
{
    return host_sock_socket(domain, type, protocol);
}

int __wrap_lwip_accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    return host_sock_accept(fd, addr, addrlen);
}

int __wrap_lwip_bind(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    return host_sock_bind(fd, addr, addrlen);
}

int __wrap_lwip_listen(int fd, int backlog)
{
    return host_sock_listen(fd, backlog);
}

int __wrap_lwip_connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    return host_sock_connect(fd, addr, addrlen);
}

ssize_t __wrap_lwip_send(int fd, const void *buf, size_t len, int flags)
{
    return host_sock_send(fd, buf, len, flags);
}

ssize_t __wrap_lwip_recv(int fd, void *buf, size_t len, int flags)
{
    return host_sock_recv(fd, buf, len, flags);
}

ssize_t __wrap_lwip_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                           socklen_t tolen)
{
    return host_sock_sendto(fd, buf, len, flags, to, tolen);
}

ssize_t __wrap_lwip_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)
{
    return host_sock_recvfrom(fd, buf, len, flags, from, fromlen);
}

ssize_t __wrap_lwip_sendmsg(int fd, const struct msghdr *message, int flags)
{
    return host_sock_sendmsg(fd, message, flags);
}

ssize_t __wrap_lwip_recvmsg(int fd, struct msghdr *message, int flags)
{
    return host_sock_recvmsg(fd, message, flags);
}

int __wrap_lwip_setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
    return host_sock_setsockopt(fd, level, name, value, len);
}

int __wrap_lwip_getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
    return host_sock_getsockopt(fd, level, name, value, len);
}

int __wrap_lwip_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    return host_sock_getsockname(fd, addr, addrlen);
}

int __wrap_lwip_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    return host_sock_getpeername(fd, addr, addrlen);
}

int __wrap_lwip_shutdown(int fd, int how)
{
    return host_sock_shutdown(fd, how);
}

int __wrap_lwip_close(int fd)
{
    return host_sock_close(fd);
}

ssize_t __wrap_lwip_read(int fd, void *buf, size_t len)
{
    return host_sock_read(fd, buf, len);
}

ssize_t __wrap_lwip_write(int fd, const void *buf, size_t len)
{
    return host_sock_write(fd, buf, len);
}

/* lwip_poll marks a descriptor that is not lwIP's POLLNVAL; so does host_sock_poll for one not open. */
static int no_linux_poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    for (nfds_t i = 0; i < count; i++) {
        fds[i].revents = POLLNVAL;
    }
    return count > 0 ? (int)count : REAL(poll)(NULL, 0, timeout_ms);
}

int __wrap_lwip_poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    return host_sock_poll(fds, count, timeout_ms, no_linux_poll);
}

int __wrap_lwip_fcntl(int fd, int cmd, int value)
{
    return host_sock_fcntl(fd, cmd, value);
}

int __wrap_lwip_ioctl(int fd, long cmd, void *arg)
{
    return host_sock_ioctl(fd, cmd, arg);
}
