/*
 * The firmware's socket descriptors (see netif/sockets.h): a table of HOST_SOCKET_SLOTS lwIP socket numbers, and
 * lwip_* called with the number behind each descriptor.  A full table refuses with ENFILE, as lwIP's alloc_socket
 * does past CONFIG_LWIP_MAX_SOCKETS (v5.4's lwip sockets.c): lwip_socket then creates nothing (a slot is reserved
 * before it runs), and lwip_accept closes the connection it took.
 */
#include "netif/netif.h"

#include <errno.h>
#include <stdlib.h>

#include <lwip/sockets.h>

/* lwIP's own function.  The firmware's link wraps the lwip_* names too (netif/socket_wraps.c): the fuzz target,
 * which links the host layer in the same link, reaches liblwip's through __real_lwip_*, the executable (not
 * wrapped, where those weak references are NULL) through the plain name. */
#define LWIP(name) (__real_lwip_##name != NULL ? __real_lwip_##name : lwip_##name)
extern int __real_lwip_socket(int, int, int) __attribute__((weak));
extern int __real_lwip_accept(int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern int __real_lwip_bind(int, const struct sockaddr *, socklen_t) __attribute__((weak));
extern int __real_lwip_listen(int, int) __attribute__((weak));
extern int __real_lwip_connect(int, const struct sockaddr *, socklen_t) __attribute__((weak));
extern ssize_t __real_lwip_send(int, const void *, size_t, int) __attribute__((weak));
extern ssize_t __real_lwip_recv(int, void *, size_t, int) __attribute__((weak));
extern ssize_t __real_lwip_sendto(int, const void *, size_t, int, const struct sockaddr *, socklen_t)
    __attribute__((weak));
extern ssize_t __real_lwip_recvfrom(int, void *, size_t, int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern ssize_t __real_lwip_sendmsg(int, const struct msghdr *, int) __attribute__((weak));
extern ssize_t __real_lwip_recvmsg(int, struct msghdr *, int) __attribute__((weak));
extern int __real_lwip_setsockopt(int, int, int, const void *, socklen_t) __attribute__((weak));
extern int __real_lwip_getsockopt(int, int, int, void *, socklen_t *) __attribute__((weak));
extern int __real_lwip_getsockname(int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern int __real_lwip_getpeername(int, struct sockaddr *, socklen_t *) __attribute__((weak));
extern int __real_lwip_shutdown(int, int) __attribute__((weak));
extern int __real_lwip_close(int) __attribute__((weak));
extern ssize_t __real_lwip_read(int, void *, size_t) __attribute__((weak));
extern ssize_t __real_lwip_write(int, const void *, size_t) __attribute__((weak));
extern int __real_lwip_poll(struct pollfd *, nfds_t, int) __attribute__((weak));
extern int __real_lwip_fcntl(int, int, int) __attribute__((weak));
extern int __real_lwip_ioctl(int, long, void *) __attribute__((weak));

#define FREE_SLOT (-1)
#define RESERVED_SLOT (-2)

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static int s_slots[HOST_SOCKET_SLOTS];
static bool s_initialised;

static void init_locked(void)
{
    if (!s_initialised) {
        for (int i = 0; i < HOST_SOCKET_SLOTS; i++) {
            s_slots[i] = FREE_SLOT;
        }
        s_initialised = true;
    }
}

bool host_sock_in_range(int fd)
{
    return fd >= HOST_SOCKET_FD_BASE && fd < HOST_SOCKET_FD_BASE + HOST_SOCKET_SLOTS;
}

int host_sock_lwip(int fd)
{
    int number = FREE_SLOT;
    if (host_sock_in_range(fd)) {
        pthread_mutex_lock(&s_lock);
        init_locked();
        number = s_slots[fd - HOST_SOCKET_FD_BASE];
        pthread_mutex_unlock(&s_lock);
    }
    if (number < 0) {
        errno = EBADF;
        return -1;
    }
    return number;
}

/* A reserved slot, or -1 with ENFILE. */
static int reserve(void)
{
    pthread_mutex_lock(&s_lock);
    init_locked();
    int slot = -1;
    for (int i = 0; i < HOST_SOCKET_SLOTS && slot < 0; i++) {
        if (s_slots[i] == FREE_SLOT) {
            s_slots[i] = RESERVED_SLOT;
            slot = i;
        }
    }
    pthread_mutex_unlock(&s_lock);
    if (slot < 0) {
        errno = ENFILE;
    }
    return slot;
}

/* Fills a reserved slot with lwIP's answer (or frees it when lwIP refused) and returns the descriptor. */
static int settle(int slot, int number)
{
    pthread_mutex_lock(&s_lock);
    s_slots[slot] = number >= 0 ? number : FREE_SLOT;
    pthread_mutex_unlock(&s_lock);
    return number >= 0 ? HOST_SOCKET_FD_BASE + slot : -1;
}

int host_sock_socket(int domain, int type, int protocol)
{
    int slot = reserve();
    if (slot < 0) {
        return -1;
    }
    int number = LWIP(socket)(domain, type, protocol);
    int saved = errno;
    int fd = settle(slot, number);
    errno = saved;
    return fd;
}

int host_sock_accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    int listener = host_sock_lwip(fd);
    if (listener < 0) {
        return -1;
    }
    /* The slot is taken once a connection came, as lwip_accept calls alloc_socket after netconn_accept: a
     * waiting accept holds none. */
    int number = LWIP(accept)(listener, addr, addrlen);
    if (number < 0) {
        return -1;
    }
    int slot = reserve();
    if (slot < 0) {
        LWIP(close)(number);
        errno = ENFILE;
        return -1;
    }
    return settle(slot, number);
}

int host_sock_close(int fd)
{
    int number = FREE_SLOT;
    if (host_sock_in_range(fd)) {
        pthread_mutex_lock(&s_lock);
        init_locked();
        number = s_slots[fd - HOST_SOCKET_FD_BASE];
        if (number >= 0) {
            s_slots[fd - HOST_SOCKET_FD_BASE] = FREE_SLOT;
        }
        pthread_mutex_unlock(&s_lock);
    }
    if (number < 0) {
        errno = EBADF;
        return -1;
    }
    return LWIP(close)(number);
}

/* The rest translate the descriptor and call lwIP. */
#define WITH_SOCKET(fd, call)          \
    do {                               \
        int s = host_sock_lwip(fd);    \
        if (s < 0) {                   \
            return -1;                 \
        }                              \
        return call;                   \
    } while (0)

int host_sock_bind(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    WITH_SOCKET(fd, LWIP(bind)(s, addr, addrlen));
}

int host_sock_listen(int fd, int backlog)
{
    WITH_SOCKET(fd, LWIP(listen)(s, backlog));
}

int host_sock_connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    WITH_SOCKET(fd, LWIP(connect)(s, addr, addrlen));
}

ssize_t host_sock_send(int fd, const void *buf, size_t len, int flags)
{
    WITH_SOCKET(fd, LWIP(send)(s, buf, len, flags));
}

ssize_t host_sock_recv(int fd, void *buf, size_t len, int flags)
{
    WITH_SOCKET(fd, LWIP(recv)(s, buf, len, flags));
}

ssize_t host_sock_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                         socklen_t tolen)
{
    WITH_SOCKET(fd, LWIP(sendto)(s, buf, len, flags, to, tolen));
}

ssize_t host_sock_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)
{
    WITH_SOCKET(fd, LWIP(recvfrom)(s, buf, len, flags, from, fromlen));
}

/* Debian's liblwip is built with LWIP_SOCKET_EXTERNAL_HEADERS (lwipopts.h: posix/sockets.h), so its msghdr is
 * glibc's: the firmware's passes through as it is. */
ssize_t host_sock_sendmsg(int fd, const struct msghdr *message, int flags)
{
    WITH_SOCKET(fd, LWIP(sendmsg)(s, message, flags));
}

ssize_t host_sock_recvmsg(int fd, struct msghdr *message, int flags)
{
    WITH_SOCKET(fd, LWIP(recvmsg)(s, message, flags));
}

int host_sock_setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
    WITH_SOCKET(fd, LWIP(setsockopt)(s, level, name, value, len));
}

int host_sock_getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
    WITH_SOCKET(fd, LWIP(getsockopt)(s, level, name, value, len));
}

int host_sock_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    WITH_SOCKET(fd, LWIP(getsockname)(s, addr, addrlen));
}

int host_sock_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
    WITH_SOCKET(fd, LWIP(getpeername)(s, addr, addrlen));
}

int host_sock_shutdown(int fd, int how)
{
    WITH_SOCKET(fd, LWIP(shutdown)(s, how));
}

ssize_t host_sock_read(int fd, void *buf, size_t len)
{
    WITH_SOCKET(fd, LWIP(read)(s, buf, len));
}

ssize_t host_sock_write(int fd, const void *buf, size_t len)
{
    WITH_SOCKET(fd, LWIP(write)(s, buf, len));
}

int host_sock_fcntl(int fd, int cmd, int value)
{
    WITH_SOCKET(fd, LWIP(fcntl)(s, cmd, value));
}

int host_sock_ioctl(int fd, long cmd, void *arg)
{
    WITH_SOCKET(fd, LWIP(ioctl)(s, cmd, arg));
}

int host_sock_lwip_poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    return LWIP(poll)(fds, count, timeout_ms);
}
