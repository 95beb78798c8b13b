/*
 * ESP-IDF's lwIP Ethernet glue (esp_netif's ETH stack config) on the host.
 *
 * RX: ethernetif_input lends the driver's buffer to lwIP without copying, in a
 * PBUF_REF custom pbuf; when lwIP frees it, the buffer goes back through
 * driver_free_rx_buffer.  Between the two the buffer belongs to lwIP (the frame may
 * sit in tcpip_thread's queue, or in a TCP out-of-order queue).  The host takes a
 * checksum when lending and compares it on return: a difference means the driver
 * wrote into a buffer the stack still owned ("rx-buffer-written-while-lent").
 * (lwIP itself writes into received payloads only when reassembling IP fragments.)
 *
 * TX: ethernet_low_level_output passes each frame, as one contiguous buffer, to
 * the driver's transmit (esp_netif_transmit_wrap).
 */
#include "host_internal.h"

#include <stdlib.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/ethip6.h>
#include <lwip/pbuf.h>

#include "esp_log.h"

typedef struct {
    struct pbuf_custom custom;  /* first: lwIP hands this pointer back to the free function */
    esp_netif_t *esp_netif;
    void *buffer;
    size_t len;
    uint64_t hash;
} lent_rx_buffer_t;

static err_t ethernet_low_level_output(struct netif *netif, struct pbuf *p)
{
    esp_netif_t *esp_netif = host_netif_owner(netif);
    if (esp_netif == NULL) {
        return ERR_IF;
    }
    struct pbuf *q = p;
    if (p->next != NULL) {
        /* the driver's transmit takes one buffer */
        q = pbuf_alloc(PBUF_RAW_TX, p->tot_len, PBUF_RAM);
        if (q == NULL) {
            return ERR_MEM;
        }
        pbuf_copy(q, p);
    }
    esp_err_t ret = esp_netif_transmit_wrap(esp_netif, q->payload, q->len, q);
    if (q != p) {
        pbuf_free(q);
    }
    return ret == ESP_OK ? ERR_OK : (ret == ESP_ERR_NO_MEM ? ERR_MEM : ERR_IF);
}

err_t ethernetif_init(struct netif *netif)
{
    esp_netif_t *esp_netif = netif->state;
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->output = etharp_output;
#if LWIP_IPV6
    netif->output_ip6 = ethip6_output;
#endif
    netif->linkoutput = ethernet_low_level_output;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    if (esp_netif != NULL) {
        memcpy(netif->hwaddr, esp_netif->mac, ETH_HWADDR_LEN);
    }
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_LINK_UP | NETIF_FLAG_IGMP;
#if LWIP_IPV6 && LWIP_IPV6_MLD
    netif->flags |= NETIF_FLAG_MLD6;
#endif
    return ERR_OK;
}

static void lent_rx_buffer_free(struct pbuf *p)
{
    lent_rx_buffer_t *lent = (lent_rx_buffer_t *)p;
    if (host_frame_hash(lent->buffer, lent->len, HOST_HASH_SEED) != lent->hash) {
        host_defect("rx-buffer-written-while-lent",
                    "the driver changed a %zu-byte RX buffer after esp_netif_receive() lent it to lwIP and before "
                    "lwIP returned it through driver_free_rx_buffer; lwIP may have processed the new bytes",
                    lent->len);
    }
    host_count(HOST_RX_RETURNED, 1);
    esp_netif_free_rx_buffer(lent->esp_netif, lent->buffer);
    free(lent);
}

void ethernetif_input(void *h, void *buffer, size_t len, void *l2_buff)
{
    (void)l2_buff;
    struct netif *netif = h;
    esp_netif_t *esp_netif = host_netif_owner(netif);
    if (buffer == NULL || esp_netif == NULL || !netif_is_up(netif) || len == 0 || len > 0xFFFF) {
        if (buffer != NULL && esp_netif != NULL) {
            esp_netif_free_rx_buffer(esp_netif, buffer);
        }
        return;
    }
    lent_rx_buffer_t *lent = calloc(1, sizeof *lent);
    if (lent == NULL) {
        esp_netif_free_rx_buffer(esp_netif, buffer);
        return;
    }
    lent->custom.custom_free_function = lent_rx_buffer_free;
    lent->esp_netif = esp_netif;
    lent->buffer = buffer;
    lent->len = len;
    lent->hash = host_frame_hash(buffer, len, HOST_HASH_SEED);
    struct pbuf *p = pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &lent->custom, buffer, (u16_t)len);
    if (p == NULL) {
        free(lent);
        esp_netif_free_rx_buffer(esp_netif, buffer);
        return;
    }
    host_count(HOST_RX_LENT, 1);
    if (netif->input(p, netif) != ERR_OK) {
        pbuf_free(p);
    }
}
