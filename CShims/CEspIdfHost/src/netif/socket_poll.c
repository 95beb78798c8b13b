/*
 * poll and select over the firmware's descriptors (netif/sockets.h): socket descriptors are polled by lwip_poll
 * with their lwIP numbers, Linux descriptors by the process's poll.  ESP-IDF v5.4 sends select to lwIP on its
 * Linux target (components/lwip/port/linux/vfs_lwip.c, __wrap_select) and through esp_vfs_select on the chip,
 * which also waits on both kinds at once; Debian's liblwip is built without lwip_select (LWIP_SOCKET_SELECT 0),
 * so select is answered through poll here.
 */
#include "netif/netif.h"

#include <errno.h>
#include <stdlib.h>


#define MIXED_SLICE_MS 10

/* Polls the Linux part without waiting and the lwIP part for at most a slice, until either has something. */
static int poll_both(struct pollfd *linux_fds, nfds_t linux_count, struct pollfd *lwip_fds, nfds_t lwip_count,
                     int timeout_ms, int (*linux_poll)(struct pollfd *, nfds_t, int))
{
    const uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : host_now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        int ready_linux = linux_poll(linux_fds, linux_count, 0);
        if (ready_linux < 0) {
            return -1;
        }
        const uint64_t now = host_now_ms();
        int slice = ready_linux > 0 || now >= deadline ? 0
                  : (int)(deadline - now < MIXED_SLICE_MS ? deadline - now : MIXED_SLICE_MS);
        int ready_lwip = host_sock_lwip_poll(lwip_fds, lwip_count, slice);
        if (ready_lwip < 0) {
            return -1;
        }
        if (ready_linux > 0 || ready_lwip > 0 || host_now_ms() >= deadline) {
            return ready_linux + ready_lwip;
        }
    }
}

int host_sock_poll(struct pollfd *fds, nfds_t count, int timeout_ms,
                   int (*linux_poll)(struct pollfd *, nfds_t, int))
{
    struct pollfd *linux_fds = calloc(count + 1, sizeof *linux_fds);
    struct pollfd *lwip_fds = calloc(count + 1, sizeof *lwip_fds);
    nfds_t *linux_index = calloc(count + 1, sizeof *linux_index);
    nfds_t *lwip_index = calloc(count + 1, sizeof *lwip_index);
    int result = -1;
    if (linux_fds == NULL || lwip_fds == NULL || linux_index == NULL || lwip_index == NULL) {
        errno = ENOMEM;
        goto out;
    }
    nfds_t linux_count = 0, lwip_count = 0;
    int invalid = 0;
    for (nfds_t i = 0; i < count; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0) {
            continue;   /* poll ignores a negative descriptor */
        }
        if (!host_sock_in_range(fds[i].fd)) {
            linux_index[linux_count] = i;
            linux_fds[linux_count++] = (struct pollfd){ .fd = fds[i].fd, .events = fds[i].events };
            continue;
        }
        int number = host_sock_lwip(fds[i].fd);
        if (number < 0) {
            fds[i].revents = POLLNVAL;   /* as poll answers a descriptor that is not open */
            invalid++;
            continue;
        }
        lwip_index[lwip_count] = i;
        lwip_fds[lwip_count++] = (struct pollfd){ .fd = number, .events = fds[i].events };
    }
    if (invalid > 0) {
        timeout_ms = 0;
    }
    int ready;
    if (lwip_count == 0) {
        ready = linux_poll(linux_fds, linux_count, timeout_ms);
    } else if (linux_count == 0) {
        ready = host_sock_lwip_poll(lwip_fds, lwip_count, timeout_ms);
    } else {
        ready = poll_both(linux_fds, linux_count, lwip_fds, lwip_count, timeout_ms, linux_poll);
    }
    if (ready < 0) {
        goto out;
    }
    for (nfds_t i = 0; i < linux_count; i++) {
        fds[linux_index[i]].revents = linux_fds[i].revents;
    }
    for (nfds_t i = 0; i < lwip_count; i++) {
        fds[lwip_index[i]].revents = lwip_fds[i].revents;
    }
    result = 0;
    for (nfds_t i = 0; i < count; i++) {
        result += fds[i].revents != 0;
    }
out:
    free(linux_fds);
    free(lwip_fds);
    free(linux_index);
    free(lwip_index);
    return result;
}

int host_sock_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout,
                     int (*linux_poll)(struct pollfd *, nfds_t, int))
{
    if (nfds < 0 || nfds > FD_SETSIZE ||
        (timeout != NULL && (timeout->tv_sec < 0 || timeout->tv_usec < 0 || timeout->tv_usec >= 1000000))) {
        errno = EINVAL;
        return -1;
    }
    struct pollfd *fds = calloc((size_t)nfds + 1, sizeof *fds);
    if (fds == NULL) {
        errno = ENOMEM;
        return -1;
    }
    nfds_t count = 0;
    for (int fd = 0; fd < nfds; fd++) {
        bool read = readfds != NULL && FD_ISSET(fd, readfds);
        bool write = writefds != NULL && FD_ISSET(fd, writefds);
        bool except = exceptfds != NULL && FD_ISSET(fd, exceptfds);
        if (read || write || except) {
            fds[count++] = (struct pollfd){ .fd = fd,
                .events = (short)((read ? POLLIN : 0) | (write ? POLLOUT : 0) | (except ? POLLPRI : 0)) };
        }
    }
    int timeout_ms = -1;
    if (timeout != NULL) {
        long long ms = (long long)timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000;
        timeout_ms = ms > INT32_MAX ? INT32_MAX : (int)ms;
    }
    int polled = host_sock_poll(fds, count, timeout_ms, linux_poll);
    int result = polled;
    for (nfds_t i = 0; polled >= 0 && i < count; i++) {
        if (fds[i].revents & POLLNVAL) {
            errno = EBADF;   /* select's answer for a descriptor that is not open */
            result = -1;
        }
    }
    if (result >= 0) {
        result = 0;
        for (nfds_t i = 0; i < count; i++) {
            const int fd = fds[i].fd;
            const short revents = fds[i].revents;
            const bool lwip = host_sock_in_range(fd);
            bool read = (fds[i].events & POLLIN) && (revents & (POLLIN | POLLHUP | POLLERR));
            bool write = (fds[i].events & POLLOUT) && (revents & (POLLOUT | POLLERR));
            /* lwIP marks a socket's error in the except set (lwip_select); Linux its out-of-band data. */
            bool except = (fds[i].events & POLLPRI) && (revents & (lwip ? (POLLPRI | POLLERR) : POLLPRI));
            if (readfds != NULL) { if (read) FD_SET(fd, readfds); else FD_CLR(fd, readfds); }
            if (writefds != NULL) { if (write) FD_SET(fd, writefds); else FD_CLR(fd, writefds); }
            if (exceptfds != NULL) { if (except) FD_SET(fd, exceptfds); else FD_CLR(fd, exceptfds); }
            result += read + write + except;
        }
    }
    free(fds);
    return result;
}
