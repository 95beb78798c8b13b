/*
 * Clean-room firmware that talks BSD sockets, in the shape of ESP-IDF v5.4's examples/protocols/sockets
 * (udp_server: socket/bind/recvfrom/sendto in a task; tcp_server: listen/accept, then recv and send back until the
 * client closes, shutdown and close), over the in-repo UART tunnel driver.  FirmwareSocketTests reaches it from the
 * kernel inside a network namespace:
 *
 *   UDP 3333   echo: select (5 s rounds), recvfrom, sendto back to the sender
 *   TCP 3334   echo: accept, recv/send until end of stream, shutdown, close
 *   UDP 3336   echo by recvmsg/sendmsg: the datagram read into two iovecs (4 bytes, the rest) with the sender in
 *              msg_name, answered as "msg:" + its bytes from two iovecs to that name
 *   HTTP 80    GET /raw: the handler writes a whole response with send(httpd_req_to_sockfd(req), …) itself
 *
 * Before the servers start, app_main logs "probe …" lines on the descriptor rules: the socket table's size and
 * ENFILE, close twice, select on an idle socket and on a socket beside a pipe, the lwip_* names, and Linux
 * descriptors (stdout, a /proc file) still reaching Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <unistd.h>

#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/sockets.h"
#include "netif_uart_tunnel_sim.h"
#include "nvs_flash.h"

#define UDP_PORT 3333
#define TCP_PORT 3334
#define IDLE_PORT 3335
#define MSG_PORT 3336

static const char *TAG = "probe";

static const char *errno_name(int e)
{
    return e == ENFILE ? "ENFILE" : e == EBADF ? "EBADF" : strerror(e);
}

static struct sockaddr_in any_address(uint16_t port)
{
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    return address;
}

/* Opens datagram sockets until one is refused, then closes them all. */
static void probe_table(void)
{
    int fds[100];
    int opened = 0, refusal = 0, lowest = 1 << 30, highest = -1;
    while (opened < 100) {
        int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
        if (s < 0) {
            refusal = errno;
            break;
        }
        fds[opened++] = s;
        lowest = s < lowest ? s : lowest;
        highest = s > highest ? s : highest;
    }
    int closed = 0;
    for (int i = 0; i < opened; i++) {
        closed += close(fds[i]) == 0;
    }
    ESP_LOGI(TAG, "probe table: opened %d refused %s fds %d-%d closed %d", opened, errno_name(refusal), lowest,
             highest, closed);
}

static void probe_close_twice(void)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_IP);
    int first = close(s);
    int second = close(s);
    ESP_LOGI(TAG, "probe close twice: %d %d %s", first, second, errno_name(errno));
}

static void probe_select_idle(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
    struct sockaddr_in address = any_address(IDLE_PORT);
    int bound = bind(s, (struct sockaddr *)&address, sizeof address);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(s, &readable);
    struct timeval timeout = { .tv_sec = 0, .tv_usec = 200000 };
    int ready = select(s + 1, &readable, NULL, NULL, &timeout);
    ESP_LOGI(TAG, "probe select idle: bind %d select %d still set %d", bound, ready, FD_ISSET(s, &readable) ? 1 : 0);
    close(s);
}

/* A pipe (Linux's) with data and an idle socket in one select: the pipe is ready, the socket is not. */
static void probe_select_mixed(void)
{
    int pipe_fds[2];
    int piped = pipe(pipe_fds);
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
    ssize_t written = write(pipe_fds[1], "x", 1);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(pipe_fds[0], &readable);
    FD_SET(s, &readable);
    struct timeval timeout = { .tv_sec = 5, .tv_usec = 0 };
    int ready = select(s + 1, &readable, NULL, NULL, &timeout);
    ESP_LOGI(TAG, "probe select mixed: pipe %d write %d select %d pipe set %d socket set %d", piped, (int)written,
             ready, FD_ISSET(pipe_fds[0], &readable) ? 1 : 0, FD_ISSET(s, &readable) ? 1 : 0);
    close(s);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

/* lwip_* names take and give the same descriptors (on the chip lwIP's numbers are the descriptors); a number below
 * the range is not lwIP's. */
static void probe_lwip_names(void)
{
    int s = lwip_socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
    int closed = close(s);
    int t = socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
    int lwip_closed = lwip_close(t);
    int low = lwip_close(STDOUT_FILENO);
    int low_errno = errno;
    ESP_LOGI(TAG, "probe lwip names: lwip_socket %s close %d lwip_close %d lwip_close(1) %d %s",
             s >= 960 && s < 1024 ? "in range" : "outside", closed, lwip_closed, low, errno_name(low_errno));
}

/* A file and stdout are Linux's: the socket routing must leave them alone. */
static void probe_linux_descriptors(void)
{
    static const char line[] = "probe stdout: written with write(1)\n";
    fflush(stdout);
    ssize_t written = write(STDOUT_FILENO, line, sizeof line - 1);
    int file = open("/proc/self/stat", O_RDONLY);
    char head[8];
    ssize_t got = read(file, head, sizeof head);
    int closed = close(file);
    ESP_LOGI(TAG, "probe linux fds: write %d fd %s read %d close %d", (int)written,
             file >= 0 && file < 960 ? "below 960" : "odd", (int)got, closed);
}

/* Name lookups as ESP-IDF code makes them (lwip/netdb.h names): a name twice, a numeric address, gethostbyname. */
static void probe_resolver(void)
{
    const struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
    struct addrinfo *first = NULL, *again = NULL, *numeric = NULL;
    int found = getaddrinfo("localhost", "80", &hints, &first);
    int found_again = getaddrinfo("localhost", "80", &hints, &again);
    int found_numeric = getaddrinfo("127.0.0.1", "80", &hints, &numeric);
    struct hostent *host = gethostbyname("localhost");
    ESP_LOGI(TAG, "probe resolver: localhost %d again %d numeric %d gethostbyname %s", found, found_again,
             found_numeric, host != NULL ? "found" : "missing");
    freeaddrinfo(first);
    freeaddrinfo(again);
    freeaddrinfo(numeric);
}

static void udp_echo_task(void *arg)
{
    (void)arg;
    int sock = socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
    struct sockaddr_in address = any_address(UDP_PORT);
    if (sock < 0 || bind(sock, (struct sockaddr *)&address, sizeof address) != 0) {
        ESP_LOGE(TAG, "udp: socket/bind failed: errno %d", errno);
        vTaskDelete(NULL);
        return;
    }
    ESP_LOGI(TAG, "udp echo bound: fd %d port %d", sock, UDP_PORT);
    for (;;) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(sock, &readable);
        struct timeval timeout = { .tv_sec = 5, .tv_usec = 0 };
        int ready = select(sock + 1, &readable, NULL, NULL, &timeout);
        if (ready < 0) {
            ESP_LOGE(TAG, "udp: select failed: errno %d", errno);
            break;
        }
        if (ready == 0) {
            continue;
        }
        char buffer[256];
        struct sockaddr_storage source;
        socklen_t source_len = sizeof source;
        int len = recvfrom(sock, buffer, sizeof buffer, 0, (struct sockaddr *)&source, &source_len);
        if (len < 0) {
            ESP_LOGE(TAG, "udp: recvfrom failed: errno %d", errno);
            break;
        }
        int sent = sendto(sock, buffer, len, 0, (struct sockaddr *)&source, source_len);
        ESP_LOGI(TAG, "udp echo: %d bytes, sent %d", len, sent);
    }
    close(sock);
    vTaskDelete(NULL);
}

static void msg_echo_task(void *arg)
{
    (void)arg;
    int sock = socket(AF_INET, SOCK_DGRAM, IPPROTO_IP);
    struct sockaddr_in address = any_address(MSG_PORT);
    if (sock < 0 || bind(sock, (struct sockaddr *)&address, sizeof address) != 0) {
        ESP_LOGE(TAG, "msg: socket/bind failed: errno %d", errno);
        vTaskDelete(NULL);
        return;
    }
    ESP_LOGI(TAG, "msg echo bound: fd %d port %d", sock, MSG_PORT);
    for (;;) {
        char head[4];
        char rest[252];
        struct iovec in[2] = { { head, sizeof head }, { rest, sizeof rest } };
        struct sockaddr_in source;
        struct msghdr message = { .msg_name = &source, .msg_namelen = sizeof source, .msg_iov = in, .msg_iovlen = 2 };
        ssize_t len = recvmsg(sock, &message, 0);
        if (len < 0) {
            ESP_LOGE(TAG, "msg: recvmsg failed: errno %d", errno);
            break;
        }
        char prefix[] = "msg:";
        size_t in_head = len < (ssize_t)sizeof head ? (size_t)len : sizeof head;
        struct iovec out[3] = { { prefix, 4 }, { head, in_head }, { rest, (size_t)len - in_head } };
        struct msghdr reply = { .msg_name = &source, .msg_namelen = message.msg_namelen, .msg_iov = out,
                                .msg_iovlen = 3 };
        ssize_t sent = sendmsg(sock, &reply, 0);
        char peer[16];
        inet_ntop(AF_INET, &source.sin_addr, peer, sizeof peer);
        ESP_LOGI(TAG, "msg echo: recvmsg %d bytes from %s, sendmsg %d", (int)len, peer, (int)sent);
    }
    close(sock);
    vTaskDelete(NULL);
}

static void tcp_echo(int sock)
{
    char buffer[256];
    int len;
    while ((len = recv(sock, buffer, sizeof buffer, 0)) > 0) {
        for (int done = 0; done < len;) {
            int sent = send(sock, buffer + done, len - done, 0);
            if (sent < 0) {
                ESP_LOGE(TAG, "tcp: send failed: errno %d", errno);
                return;
            }
            done += sent;
        }
    }
    ESP_LOGI(TAG, "tcp echo: end of stream (%d)", len);
}

static void tcp_echo_task(void *arg)
{
    (void)arg;
    int listener = socket(AF_INET, SOCK_STREAM, IPPROTO_IP);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = any_address(TCP_PORT);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0) {
        ESP_LOGE(TAG, "tcp: socket/bind/listen failed: errno %d", errno);
        vTaskDelete(NULL);
        return;
    }
    ESP_LOGI(TAG, "tcp echo listening: fd %d port %d", listener, TCP_PORT);
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof peer;
        int sock = accept(listener, (struct sockaddr *)&peer, &peer_len);
        if (sock < 0) {
            ESP_LOGE(TAG, "tcp: accept failed: errno %d", errno);
            break;
        }
        struct sockaddr_in local;
        socklen_t local_len = sizeof local;
        getsockname(sock, (struct sockaddr *)&local, &local_len);
        ESP_LOGI(TAG, "tcp echo accepted: fd %d local port %d", sock, ntohs(local.sin_port));
        tcp_echo(sock);
        shutdown(sock, SHUT_RDWR);
        ESP_LOGI(TAG, "tcp echo closed: %d", close(sock));
    }
    close(listener);
    vTaskDelete(NULL);
}

/* The whole response written on the session's socket by the handler itself. */
static esp_err_t raw_get(httpd_req_t *req)
{
    static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n"
                                   "Connection: close\r\n\r\nwritten by send\n";
    int fd = httpd_req_to_sockfd(req);
    int sent = send(fd, response, sizeof response - 1, 0);
    ESP_LOGI(TAG, "probe raw send: fd %d sent %d", fd, sent);
    return sent == (int)sizeof response - 1 ? ESP_OK : ESP_FAIL;
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    netif_uart_tunnel_config_t tunnel = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    memcpy(tunnel.ip, (const uint8_t[]){ 192, 168, 100, 2 }, 4);
    memcpy(tunnel.netmask, (const uint8_t[]){ 255, 255, 255, 0 }, 4);
    memcpy(tunnel.gw, (const uint8_t[]){ 192, 168, 100, 1 }, 4);
    ESP_ERROR_CHECK(netif_uart_tunnel_init(&tunnel));

    probe_table();
    probe_close_twice();
    probe_select_idle();
    probe_select_mixed();
    probe_lwip_names();
    probe_linux_descriptors();
    probe_resolver();

    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    httpd_handle_t server = NULL;
    ESP_ERROR_CHECK(httpd_start(&server, &config));
    const httpd_uri_t raw = { .uri = "/raw", .method = HTTP_GET, .handler = raw_get };
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &raw));
    xTaskCreate(udp_echo_task, "udp_server", 4096, NULL, 5, NULL);
    xTaskCreate(tcp_echo_task, "tcp_server", 4096, NULL, 5, NULL);
    xTaskCreate(msg_echo_task, "msg_server", 4096, NULL, 5, NULL);
    ESP_LOGI(TAG, "probe started");
}
