/*
 * The Wi-Fi netifs' I/O driver (v5.4: esp_wifi_create_if_driver / wifi_netif.c, the driver
 * esp_netif_attach_wifi_station attaches).  The station's radio is the link: a frame
 * lwIP sends leaves as one tunnel record, a record from the link comes in through
 * esp_netif_receive — while the station is associated with an AP on the air.  Otherwise
 * frames both ways are dropped and counted, as a real radio would lose them.  The
 * soft-AP's radio is a second link (wifi_softap.c), with its own station and counters.
 */
#include "wifi/wifi.h"

#include <stdlib.h>
#include <string.h>

#include "CUartTunnelWire.h"

#define DRIVER_MAGIC 0x57494649u  /* "WIFI" */

typedef struct {
    esp_netif_driver_base_t base;
    uint32_t magic;
    wifi_interface_t wifi_if;
} wifi_driver_t;

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static wifi_driver_t *s_drivers[2];
static uint64_t s_rx_frames, s_tx_frames, s_rx_dropped, s_tx_dropped;

static void count(uint64_t *counter)
{
    pthread_mutex_lock(&s_lock);
    (*counter)++;
    pthread_mutex_unlock(&s_lock);
}

static esp_err_t transmit(void *h, void *buffer, size_t len)
{
    wifi_driver_t *driver = h;
    if (driver->wifi_if == WIFI_IF_AP) {
        return host_wifi_ap_transmit(buffer, len);
    }
    if (!host_wifi_sta_link_open()) {
        count(&s_tx_dropped);
        return ESP_ERR_WIFI_NOT_ASSOC;
    }
    uint8_t *record = malloc(len + CUartTunnelWire_LENGTH_PREFIX);
    if (record == NULL) {
        return ESP_ERR_NO_MEM;
    }
    if (!CUartTunnelWire_putRecordHeader(len, record)) {
        free(record);
        count(&s_tx_dropped);
        return ESP_ERR_INVALID_ARG;  /* no record carries it */
    }
    memcpy(record + CUartTunnelWire_LENGTH_PREFIX, buffer, len);
    host_uart_link_write(record, len + CUartTunnelWire_LENGTH_PREFIX);  /* one piece: one record */
    free(record);
    count(&s_tx_frames);
    return ESP_OK;
}

static esp_err_t transmit_wrap(void *h, void *buffer, size_t len, void *netstack_buf)
{
    (void)netstack_buf;
    return transmit(h, buffer, len);
}

static void free_rx_buffer(void *h, void *buffer)
{
    (void)h;
    free(buffer);
}

static esp_err_t post_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle h)
{
    wifi_driver_t *driver = h;
    driver->base.netif = esp_netif;
    const esp_netif_driver_ifconfig_t config = {
        .handle = driver,
        .transmit = transmit,
        .transmit_wrap = transmit_wrap,
        .driver_free_rx_buffer = free_rx_buffer,
    };
    return esp_netif_set_driver_config(esp_netif, &config);
}

void *host_wifi_driver_create(wifi_interface_t wifi_if)
{
    if (wifi_if != WIFI_IF_STA && wifi_if != WIFI_IF_AP) {
        return NULL;
    }
    wifi_driver_t *driver = calloc(1, sizeof *driver);
    if (driver == NULL) {
        return NULL;
    }
    driver->base.post_attach = post_attach;
    driver->magic = DRIVER_MAGIC;
    driver->wifi_if = wifi_if;
    pthread_mutex_lock(&s_lock);
    s_drivers[wifi_if] = driver;
    pthread_mutex_unlock(&s_lock);
    return driver;
}

void host_wifi_driver_destroy(void *h)
{
    wifi_driver_t *driver = h;
    if (!host_wifi_is_driver(driver)) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    if (s_drivers[driver->wifi_if] == driver) {
        s_drivers[driver->wifi_if] = NULL;
    }
    pthread_mutex_unlock(&s_lock);
    driver->magic = 0;
    free(driver);
}

bool host_wifi_is_driver(const void *h)
{
    const wifi_driver_t *driver = h;
    return driver != NULL && driver->magic == DRIVER_MAGIC;
}

esp_netif_t *host_wifi_netif(wifi_interface_t wifi_if)
{
    if (wifi_if != WIFI_IF_STA && wifi_if != WIFI_IF_AP) {
        return NULL;
    }
    pthread_mutex_lock(&s_lock);
    esp_netif_t *netif = s_drivers[wifi_if] != NULL ? s_drivers[wifi_if]->base.netif : NULL;
    pthread_mutex_unlock(&s_lock);
    return netif;
}

bool host_wifi_sta_attached(void)
{
    return host_wifi_netif(WIFI_IF_STA) != NULL;
}

bool host_wifi_owns(const esp_netif_t *esp_netif)
{
    return esp_netif != NULL &&
           (esp_netif == host_wifi_netif(WIFI_IF_STA) || esp_netif == host_wifi_netif(WIFI_IF_AP));
}

void host_wifi_sta_receive(const uint8_t *frame, size_t count_bytes)
{
    esp_netif_t *netif = host_wifi_netif(WIFI_IF_STA);
    if (netif == NULL || !host_wifi_sta_link_open()) {
        count(&s_rx_dropped);
        return;
    }
    uint8_t *buffer = malloc(count_bytes);
    if (buffer == NULL) {
        count(&s_rx_dropped);
        return;
    }
    memcpy(buffer, frame, count_bytes);
    count(&s_rx_frames);
    esp_netif_receive(netif, buffer, count_bytes, NULL);
}

void host_wifi_count(uint64_t *rx_frames, uint64_t *tx_frames, uint64_t *rx_dropped, uint64_t *tx_dropped)
{
    pthread_mutex_lock(&s_lock);
    *rx_frames = s_rx_frames;
    *tx_frames = s_tx_frames;
    *rx_dropped = s_rx_dropped;
    *tx_dropped = s_tx_dropped;
    pthread_mutex_unlock(&s_lock);
}
