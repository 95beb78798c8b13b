/*
 * Pattern detection (AT_CMD characters) and the queue of pattern positions, as
 * ESP-IDF v5.4's uart.c keeps them: positions are offsets from the ring's read
 * position, shifted as bytes are read or flushed.
 */
#include "uart_internal.h"

#include <stdlib.h>

#include "esp_log.h"

static const char *TAG = "uart";

int host_uart_pattern_alloc(host_uart_port_t *port, int queue_length)
{
    /* heap_caps_malloc(queue_length * sizeof(int)) gives NULL for 0 bytes and for a negative length */
    if (queue_length <= 0) {
        return ESP_ERR_NO_MEM;
    }
    int *data = malloc((size_t)queue_length * sizeof(int));
    if (data == NULL) {
        return ESP_ERR_NO_MEM;
    }
    int *old = port->pattern_pos.data;
    port->pattern_pos = (host_uart_pattern_ring_t){.data = data, .len = queue_length, .rd = 0, .wr = 0};
    free(old);
    return ESP_OK;
}

void host_uart_pattern_free(host_uart_port_t *port)
{
    free(port->pattern_pos.data);
    port->pattern_pos = (host_uart_pattern_ring_t){0};
}

/* uart_pattern_enqueue: a ring of len slots holds len - 1 positions; when full the position is lost */
void host_uart_pattern_enqueue(host_uart_port_t *port, int pos)
{
    host_uart_pattern_ring_t *ring = &port->pattern_pos;
    if (ring->data == NULL) {
        return;
    }
    int next = ring->wr + 1;
    if (next >= ring->len) {
        next = 0;
    }
    if (next == ring->rd) {
        host_log_line(ESP_LOG_WARN, TAG, "Fail to enqueue pattern position, pattern queue is full.");
        return;
    }
    ring->data[ring->wr] = pos;
    ring->wr = next;
}

/* uart_pattern_dequeue */
static void pattern_dequeue(host_uart_pattern_ring_t *ring)
{
    if (ring->rd != ring->wr) {
        ring->rd++;
    }
    if (ring->rd >= ring->len) {
        ring->rd = 0;
    }
}

void host_uart_pattern_update(host_uart_port_t *port, int diff_len)
{
    host_uart_pattern_ring_t *ring = &port->pattern_pos;
    if (ring->data == NULL) {
        return;
    }
    int rd = ring->rd;
    while (rd != ring->wr) {
        ring->data[rd] -= diff_len;
        int here = rd;
        if (++rd >= ring->len) {
            rd = 0;
        }
        if (ring->data[here] < 0) {
            ring->rd = rd;   /* that pattern has been read past: forget it */
        }
    }
}

static int pattern_pos(uart_port_t uart_num, bool pop)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || !port->installed) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart driver error");
        return -1;
    }
    int pos = -1;
    pthread_mutex_lock(&host_uart_lock);
    host_uart_pattern_ring_t *ring = &port->pattern_pos;
    if (ring->data != NULL && ring->rd != ring->wr) {
        pos = ring->data[ring->rd];
        if (pop) {
            pattern_dequeue(ring);
        }
    }
    pthread_mutex_unlock(&host_uart_lock);
    return pos;
}

int uart_pattern_pop_pos(uart_port_t uart_num)
{
    return pattern_pos(uart_num, true);
}

int uart_pattern_get_pos(uart_port_t uart_num)
{
    return pattern_pos(uart_num, false);
}

esp_err_t uart_pattern_queue_reset(uart_port_t uart_num, int queue_length)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    esp_err_t err = port->installed ? host_uart_pattern_alloc(port, queue_length) : ESP_ERR_INVALID_STATE;
    pthread_mutex_unlock(&host_uart_lock);
    if (err == ESP_ERR_INVALID_STATE) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart driver error");
    }
    return err;
}

esp_err_t uart_enable_pattern_det_baud_intr(uart_port_t uart_num, char pattern_chr, uint8_t chr_num, int chr_tout,
                                            int post_idle, int pre_idle)
{
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart_num error");
        return ESP_FAIL;
    }
    /* UART_RX_GAP_TOUT_V, UART_POST_IDLE_NUM_V, UART_PRE_IDLE_NUM_V are 24-bit fields on an ESP32 */
    const int max = 0xFFFFFF;
    if (chr_tout < 0 || chr_tout > max || post_idle < 0 || post_idle > max || pre_idle < 0 || pre_idle > max) {
        host_log_line(ESP_LOG_ERROR, TAG, "uart pattern set error\n");
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    port->pat_chr = (uint8_t)pattern_chr;
    port->pat_num = chr_num;
    port->pat_run = 0;
    port->pat_raw = false;   /* uart_hal_clr_intsts_mask(UART_INTR_CMD_CHAR_DET) */
    port->int_ena |= HOST_UART_INTR_CMD_CHAR_DET;
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}

esp_err_t uart_disable_pattern_det_intr(uart_port_t uart_num)
{
    /* uart_disable_intr_mask(UART_INTR_CMD_CHAR_DET): needs the driver object on ESP-IDF */
    host_uart_port_t *port = host_uart_port(uart_num);
    if (port == NULL || !port->installed) {
        return ESP_FAIL;
    }
    pthread_mutex_lock(&host_uart_lock);
    port->rx_int_usr_mask &= ~HOST_UART_INTR_CMD_CHAR_DET;
    port->int_ena &= ~HOST_UART_INTR_CMD_CHAR_DET;
    pthread_mutex_unlock(&host_uart_lock);
    return ESP_OK;
}
