/* The firmware's socket descriptors (netif/sockets.c): one numbering for every socket a firmware sees.
 *
 * On the chip a socket is an lwIP socket whose number is offset to the top of the descriptor space
 * (ESP-IDF v5.4 components/lwip/port/include/lwipopts.h: LWIP_SOCKET_OFFSET = FD_SETSIZE - CONFIG_LWIP_MAX_SOCKETS),
 * and VFS (or, on ESP-IDF's Linux target, components/lwip/port/linux/vfs_lwip.c's __wrap_ functions) sends every
 * descriptor at or above it to lwip_*.  Debian's liblwip numbers its sockets from 1, where Linux's own descriptors
 * are, so the host keeps a table: descriptor HOST_SOCKET_FD_BASE + slot holds one lwIP socket number.  The
 * firmware's POSIX socket calls reach these functions through netif/socket_wraps.c; esp_http_server uses them
 * directly, so every sockfd a handler sees is such a descriptor. */
#ifndef HOST_NETIF_SOCKETS_H
#define HOST_NETIF_SOCKETS_H

#include <poll.h>
#include <stdbool.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>

/* In a __wrap_ function: the real `name`. That is __real_<name> where the host layer is linked with the wraps (the
 * fuzz target links it and the firmware in one link), and the plain name in the executable, which is not wrapped
 * and where the weak reference __real_<name> is NULL. */
#define HOST_WRAPPED_REAL(name) (__real_##name != NULL ? __real_##name : name)

#define HOST_SOCKET_SLOTS 64
/* 960: below FD_SETSIZE, so FD_SET works on every one of them, as ESP-IDF's offset is. */
#define HOST_SOCKET_FD_BASE (FD_SETSIZE - HOST_SOCKET_SLOTS)

/* fd is in the socket range (open or not): the wraps send it here, never to Linux. */
bool host_sock_in_range(int fd);
/* The lwIP socket number behind fd, or -1 with errno EBADF. */
int host_sock_lwip(int fd);

/* lwip_*'s contract with descriptors in, descriptors out: -1 and errno on failure (EBADF for a descriptor not
 * open, ENFILE when all HOST_SOCKET_SLOTS are in use, as lwip_socket/lwip_accept past CONFIG_LWIP_MAX_SOCKETS). */
int host_sock_socket(int domain, int type, int protocol);
int host_sock_accept(int fd, struct sockaddr *addr, socklen_t *addrlen);
int host_sock_bind(int fd, const struct sockaddr *addr, socklen_t addrlen);
int host_sock_listen(int fd, int backlog);
int host_sock_connect(int fd, const struct sockaddr *addr, socklen_t addrlen);
ssize_t host_sock_send(int fd, const void *buf, size_t len, int flags);
ssize_t host_sock_recv(int fd, void *buf, size_t len, int flags);
ssize_t host_sock_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                         socklen_t tolen);
ssize_t host_sock_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen);
ssize_t host_sock_sendmsg(int fd, const struct msghdr *message, int flags);
ssize_t host_sock_recvmsg(int fd, struct msghdr *message, int flags);
int host_sock_setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int host_sock_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int host_sock_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen);
int host_sock_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen);
int host_sock_shutdown(int fd, int how);
int host_sock_close(int fd);
ssize_t host_sock_read(int fd, void *buf, size_t len);
ssize_t host_sock_write(int fd, const void *buf, size_t len);
int host_sock_fcntl(int fd, int cmd, int value);
int host_sock_ioctl(int fd, long cmd, void *arg);

/* lwip_poll on lwIP socket numbers (not descriptors). */
int host_sock_lwip_poll(struct pollfd *fds, nfds_t count, int timeout_ms);

/* poll(2) over any mix of Linux descriptors and socket descriptors.  linux_poll is the process's real poll (the
 * wraps pass theirs).  Sockets only: one lwip_poll; Linux only: one linux_poll; both: alternating rounds of a
 * non-blocking linux_poll and an lwip_poll of at most 10 ms until something is ready or the timeout passes
 * (ESP-IDF's esp_vfs_select waits on both kinds at once; lwIP offers no descriptor to hand to Linux). */
int host_sock_poll(struct pollfd *fds, nfds_t count, int timeout_ms,
                   int (*linux_poll)(struct pollfd *, nfds_t, int));
/* select(2) the same way, through host_sock_poll. */
int host_sock_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout,
                     int (*linux_poll)(struct pollfd *, nfds_t, int));

#endif
