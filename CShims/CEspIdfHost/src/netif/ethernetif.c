/*
 * ESP-IDF v5.4's lwIP Ethernet glue (lwip/netif/ethernetif.c, esp_pbuf_ref.c) on the host.
 *
 * init: name "en", hwaddr_len 6 and MTU 1500, flags BROADCAST|ETHARP|ETHERNET (+IGMP,
 * MLD6); hwaddr is left as it is (zero unless esp_netif_set_mac or the driver set it),
 * and link-up is not set here (esp_netif_start/up do that).
 *
 * RX: ethernetif_input drops a frame for a netif that is not up (the buffer goes back
 * to the driver at once); otherwise it lends the driver's buffer to lwIP without
 * copying, in a PBUF_REF custom pbuf whose free returns it through
 * driver_free_rx_buffer.  Between the two the buffer belongs to lwIP.  The host takes
 * a checksum when lending and compares it on return: a difference means the driver
 * wrote into a buffer the stack still owned ("rx-buffer-written-while-lent").
 *
 * TX: each frame, as one contiguous buffer (a chain is copied first), goes to
 * esp_netif_transmit — the driver's transmit, not transmit_wrap, as in v5.4.
 */
#include "netif/netif.h"

#include <stdlib.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/ethip6.h>
#include <lwip/pbuf.h>

#include "esp_log.h"
#include "lwip/esp_pbuf_ref.h"

typedef struct {
    struct pbuf_custom custom;  /* first: lwIP hands this pointer back to the free function */
    esp_netif_t *esp_netif;
    void *payload;              /* what lwIP reads (checked on return) */
    void *l2_buffer;            /* what goes back to driver_free_rx_buffer */
    size_t len;
    uint64_t hash;
} lent_rx_buffer_t;

/* ethernet_low_level_output */
static err_t ethernet_low_level_output(struct netif *netif, struct pbuf *p)
{
    esp_netif_t *esp_netif = esp_netif_get_handle_from_netif_impl(netif);
    if (esp_netif == NULL) {
        return ERR_IF;
    }
    struct pbuf *q = p;
    if (p->next != NULL) {
        q = pbuf_alloc(PBUF_RAW_TX, p->tot_len, PBUF_RAM);
        if (q == NULL) {
            return ERR_MEM;
        }
        pbuf_copy(q, p);
    }
    esp_err_t ret = esp_netif_transmit(esp_netif, q->payload, q->len);
    if (q != p) {
        pbuf_free(q);
    }
    return ret == ESP_OK ? ERR_OK : (ret == ESP_ERR_NO_MEM ? ERR_MEM : ERR_IF);
}

err_t ethernetif_init(struct netif *netif)
{
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->output = etharp_output;
#if LWIP_IPV6
    netif->output_ip6 = ethip6_output;
#endif
    netif->linkoutput = ethernet_low_level_output;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
#if LWIP_IGMP
    netif->flags |= NETIF_FLAG_IGMP;
#endif
#if LWIP_IPV6 && LWIP_IPV6_MLD
    netif->flags |= NETIF_FLAG_MLD6;
#endif
    return ERR_OK;
}

/* The lent frame's hash without the bytes lwIP itself rewrites: lwIP 2.1's tcp_input turns the TCP header's ports,
 * sequence and acknowledgement numbers (bytes 0-11) and window (14-15) into host byte order in place, so in an
 * IPv4 TCP frame (first fragment) those are the stack's to change, not the driver's. */
static uint64_t lent_hash(const uint8_t *frame, size_t len)
{
    size_t tcp = 0;
    if (len >= 34 && frame[12] == 0x08 && frame[13] == 0x00 && frame[23] == 6 && ((frame[20] & 0x1f) | frame[21]) == 0) {
        tcp = 14 + (size_t)(frame[14] & 0x0f) * 4;
    }
    if (tcp == 0 || len < tcp + 16) {
        return host_frame_hash(frame, len, HOST_HASH_SEED);
    }
    uint64_t hash = host_frame_hash(frame, tcp, HOST_HASH_SEED);
    hash = host_frame_hash(frame + tcp + 12, 2, hash);
    return host_frame_hash(frame + tcp + 16, len - tcp - 16, hash);
}

static void lent_rx_buffer_free(struct pbuf *p)
{
    lent_rx_buffer_t *lent = (lent_rx_buffer_t *)p;
    if (lent_hash(lent->payload, lent->len) != lent->hash) {
        host_defect("rx-buffer-written-while-lent",
                    "the driver changed a %zu-byte RX buffer after esp_netif_receive() lent it to lwIP and before "
                    "lwIP returned it through driver_free_rx_buffer; lwIP may have processed the new bytes",
                    lent->len);
    }
    host_count(HOST_RX_RETURNED, 1);
    esp_netif_t *esp_netif = lent->esp_netif;
    void *buffer = lent->l2_buffer;
    free(lent);
    esp_netif_free_rx_buffer(esp_netif, buffer);
}

/* esp_pbuf_allocate */
struct pbuf *esp_pbuf_allocate(esp_netif_t *esp_netif, void *buffer, size_t len, void *l2_buff)
{
    lent_rx_buffer_t *lent = calloc(1, sizeof *lent);
    if (lent == NULL) {
        return NULL;
    }
    lent->custom.custom_free_function = lent_rx_buffer_free;
    lent->esp_netif = esp_netif;
    lent->payload = buffer;
    lent->l2_buffer = l2_buff;
    lent->len = len;
    lent->hash = lent_hash(buffer, len);
    struct pbuf *p = pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &lent->custom, buffer, (u16_t)len);
    if (p == NULL) {
        free(lent);
        return NULL;
    }
    host_count(HOST_RX_LENT, 1);
    return p;
}

/* ethernetif_input */
esp_netif_recv_ret_t ethernetif_input(void *h, void *buffer, size_t len, void *l2_buff)
{
    (void)l2_buff;
    struct netif *netif = h;
    esp_netif_t *esp_netif = esp_netif_get_handle_from_netif_impl(netif);
    if (buffer == NULL || !netif_is_up(netif)) {
        if (buffer != NULL) {
            esp_netif_free_rx_buffer(esp_netif, buffer);
        }
        return;
    }
    struct pbuf *p = len <= 0xFFFF ? esp_pbuf_allocate(esp_netif, buffer, len, buffer) : NULL;
    if (p == NULL) {
        esp_netif_free_rx_buffer(esp_netif, buffer);
        return;
    }
    if (netif->input == NULL) {
        host_fatal("netif-input-null", "ethernetif_input got a %zu-byte frame for \"%s\", whose lwIP netif has no "
                   "input function (it was never added by esp_netif_start/netif_add): v5.4 calls netif->input "
                   "anyway (InstrFetchProhibited on an ESP32)", len,
                   esp_netif != NULL && esp_netif->if_desc != NULL ? esp_netif->if_desc : "?");
    }
    if (netif->input(p, netif) != ERR_OK) {
        pbuf_free(p);
    }
}
