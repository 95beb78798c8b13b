/*
 * UART IP tunnel netif for ESP32 under QEMU (or a board wired to a host UART).
 *
 * lwIP sees an ordinary Ethernet interface.  Its link layer is UART1: every
 * frame is sent as a 2-byte big-endian length followed by the frame (see the
 * diagram in netif_uart_tunnel_sim.h).  There is no other framing, so both
 * sides must agree on every length byte; the RX side validates the length and
 * drops a frame that does not arrive within 1 s so a lost byte cannot wedge it.
 *
 * Shape: one public init function, private state in this file, linkoutput
 * never frees p, `if (netif->input(p, netif) != ERR_OK) pbuf_free(p)` on RX.
 *
 * RX:/TX: lines are ESP_LOGV.  They are compiled in when CONFIG_LOG_MAXIMUM_LEVEL
 * allows VERBOSE and shown when this tag's level is VERBOSE
 * (CONFIG_NETIF_UART_TUNNEL_VERBOSE_LOG, or esp_log_level_set("uart_tunnel", ...)).
 */
#include <stdbool.h>
#include <string.h>

#include "netif_uart_tunnel_sim.h"

#include "esp_log.h"
#include "esp_netif_net_stack.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"

#define MAX_ETH_FRAME_SIZE   NETIF_UART_TUNNEL_MAX_FRAME
#define MIN_ETH_FRAME_SIZE   NETIF_UART_TUNNEL_MIN_FRAME
#define RX_FRAME_TIMEOUT_MS  1000
#define TUNNEL_MTU           NETIF_UART_TUNNEL_MTU

static const char *TAG = "uart_tunnel";

/* Private state.  On ESP-IDF the lwIP netif->state belongs to esp_netif (it maps
 * the lwIP netif back to its esp_netif), so the driver keeps its state here.
 * Counters: each has one writer (RX task, or linkoutput, which lwIP serialises
 * under the core); readers may see a mix of moments, which is fine for status. */
static struct {
    netif_uart_tunnel_config_t cfg;
    esp_netif_t *esp_netif;
    struct netif *netif;
    TaskHandle_t rx_task;
    netif_uart_tunnel_stats_t stats;
} s_tunnel;

static bool uart_write_all(const void *data, size_t len)
{
    return uart_write_bytes(s_tunnel.cfg.uart_num, (const char *)data, len) == (int)len;
}

static bool write_length_prefix(uint16_t len)
{
    const uint8_t prefix[2] = { (uint8_t)(len >> 8), (uint8_t)(len & 0xFF) };
    return uart_write_all(prefix, sizeof prefix);
}

/*
 * linkoutput.  lwIP passes one complete Ethernet frame, often as a chain (the
 * headers in one pbuf, the payload in others), so the record covers the whole
 * chain: p->tot_len bytes.  p still belongs to the caller: never free it here.
 * Runs in the tcpip thread (or a thread holding the core lock); with a TX ring
 * buffer uart_write_bytes() only blocks when that buffer is full.
 */
static err_t netif_output(struct netif *netif, struct pbuf *p)
{
    const uint16_t len = p->tot_len;
    (void)netif;

    if (!write_length_prefix(len)) {
        goto fail;
    }
    for (const struct pbuf *q = p; q != NULL; q = q->next) {
        if (q->len > 0 && !uart_write_all(q->payload, q->len)) {
            goto fail;
        }
    }
    s_tunnel.stats.tx_frames++;
    s_tunnel.stats.tx_bytes += len;
    ESP_LOGV(TAG, "TX: %d bytes", (int)len);
    return ERR_OK;

fail:
    s_tunnel.stats.tx_errors++;
    ESP_LOGE(TAG, "TX: UART write failed (%d-byte frame)", (int)len);
    return ERR_IF;
}

/*
 * esp_netif's transmit hook.  lwIP never calls it (linkoutput is netif_output),
 * but esp_netif refuses to start an interface without a driver, and with this
 * an esp_netif_transmit() on the tunnel still produces a valid record.
 */
static esp_err_t tunnel_transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    if (len < MIN_ETH_FRAME_SIZE || len > MAX_ETH_FRAME_SIZE) {
        return ESP_ERR_INVALID_SIZE;
    }
    if (!write_length_prefix((uint16_t)len) || !uart_write_all(buffer, len)) {
        s_tunnel.stats.tx_errors++;
        return ESP_FAIL;
    }
    s_tunnel.stats.tx_frames++;
    s_tunnel.stats.tx_bytes += (uint32_t)len;
    ESP_LOGV(TAG, "TX: %d bytes", (int)len);
    return ESP_OK;
}

/* The first length byte: wait as long as it takes, the link may be idle for hours. */
static bool read_exact_blocking(uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        const int n = uart_read_bytes(s_tunnel.cfg.uart_num, buf + got, (uint32_t)(len - got),
                                      portMAX_DELAY);
        if (n < 0) {
            return false;
        }
        got += (size_t)n;
    }
    return true;
}

/* The frame body: uart_read_bytes() may return early with part of it, so keep
 * reading until len bytes arrived or timeout_ticks passed since the first call. */
static size_t read_with_deadline(uint8_t *buf, size_t len, TickType_t timeout_ticks)
{
    const TickType_t start = xTaskGetTickCount();
    size_t got = 0;
    while (got < len) {
        const TickType_t elapsed = xTaskGetTickCount() - start; /* wrap-safe */
        if (elapsed >= timeout_ticks) {
            break;
        }
        const int n = uart_read_bytes(s_tunnel.cfg.uart_num, buf + got, (uint32_t)(len - got),
                                      timeout_ticks - elapsed);
        if (n < 0) {
            break;
        }
        got += (size_t)n;
    }
    return got;
}

/*
 * RX: read a length, validate it, read the frame into a fixed buffer, and only
 * then allocate a pbuf: a malformed or truncated record never costs heap.
 * A bad length consumes just its 2 bytes; the next byte is read as a new length.
 */
static void uart_rx_task(void *arg)
{
    /* static: keeps the 1.5 KB frame off the task's 4 KB stack */
    static uint8_t frame_buffer[MAX_ETH_FRAME_SIZE];
    struct netif *netif = arg;
    uint8_t prefix[2];

    for (;;) {
        /* Only the first length byte may wait forever: the second belongs to the
         * record and gets the same 1 s as the frame, or a lone byte (noise, a
         * peer that left) would pair with the next record's first byte. */
        if (!read_exact_blocking(prefix, 1)) {
            ESP_LOGE(TAG, "UART read failed");
            vTaskDelay(pdMS_TO_TICKS(100));
            continue;
        }
        if (read_with_deadline(prefix + 1, 1, pdMS_TO_TICKS(RX_FRAME_TIMEOUT_MS)) < 1) {
            s_tunnel.stats.rx_incomplete++;
            ESP_LOGW(TAG, "Incomplete length: 1 of 2 bytes within %d ms, dropped", RX_FRAME_TIMEOUT_MS);
            continue;
        }
        const int len = (prefix[0] << 8) | prefix[1];
        if (len < MIN_ETH_FRAME_SIZE || len > MAX_ETH_FRAME_SIZE) {
            s_tunnel.stats.rx_invalid_length++;
            ESP_LOGW(TAG, "Invalid frame length: %d", len);
            continue;
        }

        const size_t got = read_with_deadline(frame_buffer, (size_t)len,
                                              pdMS_TO_TICKS(RX_FRAME_TIMEOUT_MS));
        if (got < (size_t)len) {
            s_tunnel.stats.rx_incomplete++;
            ESP_LOGW(TAG, "Incomplete frame: %u of %d bytes within %d ms, dropped",
                     (unsigned)got, len, RX_FRAME_TIMEOUT_MS);
            continue;
        }
        ESP_LOGV(TAG, "RX: %d bytes", len);

        /* PBUF_RAM: one contiguous pbuf sized to the frame */
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (p == NULL) {
            s_tunnel.stats.rx_dropped++;
            ESP_LOGW(TAG, "No memory for a %d-byte frame, dropped", len);
            continue;
        }
        pbuf_take(p, frame_buffer, (u16_t)len);
        /* netif->input is tcpip_input: it queues p for the tcpip thread, safe from this task */
        if (netif->input(p, netif) != ERR_OK) {
            pbuf_free(p);
            s_tunnel.stats.rx_dropped++;
            ESP_LOGW(TAG, "lwIP refused a %d-byte frame", len);
            continue;
        }
        s_tunnel.stats.rx_frames++;
        s_tunnel.stats.rx_bytes += (uint32_t)len;
    }
}

static esp_err_t uart_setup(const netif_uart_tunnel_config_t *c)
{
    const uart_config_t uart_config = {
        .baud_rate = c->baud_rate,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
    };
    esp_err_t err = uart_param_config(c->uart_num, &uart_config);
    if (err == ESP_OK) {
        err = uart_set_pin(c->uart_num, c->tx_gpio, c->rx_gpio,
                           UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE);
    }
    if (err == ESP_OK) {
        err = uart_driver_install(c->uart_num, c->rx_buffer_size, c->tx_buffer_size, 0, NULL, 0);
    }
    return err;
}

/* esp_netif with ESP-IDF's Ethernet defaults (lwIP init ethernetif_init, input
 * tcpip_input), the static address, then start: esp_netif creates the lwIP netif
 * (netif_add) only when the interface starts; before that
 * esp_netif_get_netif_impl() points at an unregistered struct. */
static esp_netif_t *create_esp_netif(const netif_uart_tunnel_config_t *c)
{
    esp_netif_inherent_config_t base = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base.if_key = "UART_TUN"; /* its own key, so it cannot clash with a real ETH netif */
    base.if_desc = "uart tunnel";
    memcpy(base.mac, c->mac, sizeof base.mac);
    /* no periodic gratuitous ARP: the host end is a TUN device, it has no ARP */
    base.flags = (esp_netif_flags_t)((unsigned)base.flags & ~(unsigned)ESP_NETIF_FLAG_GARP);
    const esp_netif_driver_ifconfig_t driver = {
        .handle = &s_tunnel,
        .transmit = tunnel_transmit,
    };
    const esp_netif_config_t netif_config = {
        .base = &base,
        .driver = &driver,
        .stack = ESP_NETIF_NETSTACK_DEFAULT_ETH,
    };
    esp_netif_t *esp_netif = esp_netif_new(&netif_config);
    if (esp_netif == NULL) {
        ESP_LOGE(TAG, "esp_netif_new failed");
        return NULL;
    }

    /* Static IP: esp_netif stores it and applies it when it adds the lwIP netif. */
    esp_netif_ip_info_t ip_info;
    memset(&ip_info, 0, sizeof ip_info);
    esp_netif_set_ip4_addr(&ip_info.ip, c->ip[0], c->ip[1], c->ip[2], c->ip[3]);
    esp_netif_set_ip4_addr(&ip_info.netmask, c->netmask[0], c->netmask[1], c->netmask[2],
                           c->netmask[3]);
    esp_netif_set_ip4_addr(&ip_info.gw, c->gw[0], c->gw[1], c->gw[2], c->gw[3]);
    esp_err_t err = esp_netif_dhcpc_stop(esp_netif);
    if (err == ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED) {
        err = ESP_OK;
    }
    if (err == ESP_OK) {
        err = esp_netif_set_ip_info(esp_netif, &ip_info);
    }
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "static IP: %s", esp_err_to_name(err));
        esp_netif_destroy(esp_netif);
        return NULL;
    }

    esp_netif_action_start(esp_netif, NULL, 0, NULL);
    return esp_netif;
}

/* Direct lwIP configuration.  The tcpip thread owns the netif from now on, so
 * hold the core lock.  The flags are exactly the tunnel's capabilities
 * (ethernetif_init also sets IGMP/MLD6); the netif is not up yet, so assigning
 * them loses no UP/LINK_UP bit. */
static void configure_lwip_netif(struct netif *netif, const netif_uart_tunnel_config_t *c)
{
    LOCK_TCPIP_CORE();
    memcpy(netif->hwaddr, c->mac, ETH_HWADDR_LEN);
    netif->hwaddr_len = ETH_HWADDR_LEN;
    netif->flags = NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST;
    netif->mtu = TUNNEL_MTU;
    netif->linkoutput = netif_output;
    netif_set_default(netif);
    UNLOCK_TCPIP_CORE();
}

/* The gateway's MAC is fixed, so a static entry saves every ARP round trip over
 * the slow link.  etharp_add_static_entry() finds the netif by routing, so the
 * netif must be up with its address.  It needs ETHARP_SUPPORT_STATIC_ENTRIES
 * (ESP-IDF: CONFIG_LWIP_DHCPS_STATIC_ENTRIES, see sdkconfig.defaults). */
static err_t add_gateway_arp_entry(const netif_uart_tunnel_config_t *c)
{
    ip4_addr_t gw_addr;
    struct eth_addr gw_mac;
    IP4_ADDR(&gw_addr, c->gw[0], c->gw[1], c->gw[2], c->gw[3]);
    memcpy(gw_mac.addr, c->gw_mac, ETH_HWADDR_LEN);
    LOCK_TCPIP_CORE();
    const err_t err = etharp_add_static_entry(&gw_addr, &gw_mac);
    UNLOCK_TCPIP_CORE();
    return err;
}

esp_err_t netif_uart_tunnel_init(const netif_uart_tunnel_config_t *cfg)
{
    static const netif_uart_tunnel_config_t defaults = NETIF_UART_TUNNEL_DEFAULT_CONFIG();
    const netif_uart_tunnel_config_t *c = &s_tunnel.cfg;
    esp_netif_t *esp_netif = NULL;
    struct netif *netif = NULL;
    err_t arp_err;
    esp_err_t err;

    if (s_tunnel.esp_netif != NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    s_tunnel.cfg = (cfg != NULL) ? *cfg : defaults;
#ifdef CONFIG_NETIF_UART_TUNNEL_VERBOSE_LOG
    esp_log_level_set(TAG, ESP_LOG_VERBOSE);
#endif

    /* a) UART: 8N1, no flow control, ring buffers larger than one frame */
    err = uart_setup(c);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "UART%d setup failed: %s", (int)c->uart_num, esp_err_to_name(err));
        return err;
    }

    /* b), c) esp_netif, static IP, lwIP netif added */
    esp_netif = create_esp_netif(c);
    if (esp_netif != NULL) {
        netif = esp_netif_get_netif_impl(esp_netif);
    }
    if (netif == NULL) {
        ESP_LOGE(TAG, "no lwIP netif for the tunnel");
        err = ESP_FAIL;
        goto fail;
    }

    /* d) MAC, flags, MTU, linkoutput, default netif */
    configure_lwip_netif(netif, c);

    /* Up and link up through esp_netif, so its state agrees with lwIP's (it also
     * posts IP_EVENT_ETH_GOT_IP).  Link-up sends one gratuitous ARP via netif_output. */
    esp_netif_action_connected(esp_netif, NULL, 0, NULL);

    arp_err = add_gateway_arp_entry(c);
    if (arp_err != ERR_OK) {
        ESP_LOGE(TAG, "etharp_add_static_entry failed: %d", (int)arp_err);
        err = ESP_FAIL;
        goto fail;
    }

    /* e) RX task, last: everything it touches exists now */
    s_tunnel.esp_netif = esp_netif;
    s_tunnel.netif = netif;
    if (xTaskCreate(uart_rx_task, "uart_rx", c->rx_task_stack_size, netif,
                    c->rx_task_priority, &s_tunnel.rx_task) != pdPASS) {
        ESP_LOGE(TAG, "cannot create the RX task");
        s_tunnel.esp_netif = NULL;
        s_tunnel.netif = NULL;
        err = ESP_ERR_NO_MEM;
        goto fail;
    }

    ESP_LOGI(TAG, "UART%d %d 8N1 (TX GPIO%d, RX GPIO%d), %u.%u.%u.%u/%u.%u.%u.%u gw %u.%u.%u.%u",
             (int)c->uart_num, c->baud_rate, c->tx_gpio, c->rx_gpio,
             c->ip[0], c->ip[1], c->ip[2], c->ip[3],
             c->netmask[0], c->netmask[1], c->netmask[2], c->netmask[3],
             c->gw[0], c->gw[1], c->gw[2], c->gw[3]);
    return ESP_OK;

fail:
    if (esp_netif != NULL) {
        esp_netif_destroy(esp_netif);
    }
    uart_driver_delete(c->uart_num);
    return err;
}

esp_netif_t *netif_uart_tunnel_get_esp_netif(void)
{
    return s_tunnel.esp_netif;
}

void netif_uart_tunnel_get_stats(netif_uart_tunnel_stats_t *out)
{
    if (out != NULL) {
        *out = s_tunnel.stats;
    }
}
