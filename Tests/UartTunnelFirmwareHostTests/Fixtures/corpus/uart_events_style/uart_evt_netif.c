/*
 * An esp_netif IO driver whose RX side is driven by the UART driver's event queue,
 * the way ESP-IDF's uart_events example handles its port: block on the queue,
 * switch on event.type, read exactly event.size bytes on UART_DATA, and on
 * UART_FIFO_OVF / UART_BUFFER_FULL throw away what is buffered and reset the queue.
 *
 * Bytes from UART_DATA events go through a small record assembler:
 *
 *   LEN_HI ─▶ LEN_LO ─▶ FRAME (len bytes into a heap buffer) ─▶ esp_netif_receive()
 *      ▲         │ bad length: back to LEN_HI (only the 2 length bytes consumed)
 *      └─────────┴── a record idle for 1 s is dropped (checked on a 100 ms queue timeout)
 *
 * The heap buffer is lent to the stack and comes back in evt_free_rx_buffer().
 */
#include <stdlib.h>
#include <string.h>

#include "driver/uart.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/task.h"

#define EVT_UART         UART_NUM_1
#define EVT_BUF_SIZE     2048
#define EVT_QUEUE_LEN    20
#define EVT_MIN_FRAME    14
#define EVT_MAX_FRAME    1518
#define EVT_PARTIAL_MS   1000

typedef enum { WANT_LEN_HI, WANT_LEN_LO, WANT_FRAME } rx_state_t;

typedef struct {
    esp_netif_driver_base_t base;  /* must be first */
    QueueHandle_t uart_queue;
    rx_state_t state;
    uint16_t len;
    uint16_t have;
    uint8_t *frame;
    TickType_t started;
} uart_evt_driver_t;

static const char *TAG = "uart_evt";
static uart_evt_driver_t s_driver;

static void assembler_reset(uart_evt_driver_t *d)
{
    free(d->frame);
    d->frame = NULL;
    d->state = WANT_LEN_HI;
    d->have = 0;
}

static void assembler_feed(uart_evt_driver_t *d, const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        const uint8_t byte = data[i];
        switch (d->state) {
        case WANT_LEN_HI:
            d->len = (uint16_t)(byte << 8);
            d->started = xTaskGetTickCount();
            d->state = WANT_LEN_LO;
            break;
        case WANT_LEN_LO:
            d->len |= byte;
            if (d->len < EVT_MIN_FRAME || d->len > EVT_MAX_FRAME) {
                ESP_LOGW(TAG, "record length %u out of range, skipped", d->len);
                d->state = WANT_LEN_HI;
                break;
            }
            d->frame = malloc(d->len);
            if (d->frame == NULL) {
                ESP_LOGE(TAG, "no memory for %u bytes", d->len);
                d->state = WANT_LEN_HI;
                break;
            }
            d->have = 0;
            d->state = WANT_FRAME;
            break;
        case WANT_FRAME: {
            size_t take = d->len - d->have;
            if (take > size - i) {
                take = size - i;
            }
            memcpy(d->frame + d->have, data + i, take);
            d->have += (uint16_t)take;
            i += take - 1;
            if (d->have == d->len) {
                uint8_t *frame = d->frame;
                d->frame = NULL;
                d->state = WANT_LEN_HI;
                esp_netif_receive(d->base.netif, frame, d->len, NULL);  /* lent until evt_free_rx_buffer */
            }
            break;
        }
        }
    }
}

static void uart_event_task(void *arg)
{
    uart_evt_driver_t *d = arg;
    uart_event_t event;
    uint8_t *dtmp = malloc(EVT_BUF_SIZE);
    assert(dtmp != NULL);
    for (;;) {
        if (!xQueueReceive(d->uart_queue, (void *)&event, pdMS_TO_TICKS(100))) {
            if (d->state != WANT_LEN_HI &&
                xTaskGetTickCount() - d->started >= pdMS_TO_TICKS(EVT_PARTIAL_MS)) {
                ESP_LOGW(TAG, "record stalled (%u of %u bytes), dropped", d->have, d->len);
                assembler_reset(d);
            }
            continue;
        }
        switch (event.type) {
        case UART_DATA: {
            size_t left = event.size;
            while (left > 0) {
                const size_t chunk = left < EVT_BUF_SIZE ? left : EVT_BUF_SIZE;
                const int n = uart_read_bytes(EVT_UART, dtmp, (uint32_t)chunk, portMAX_DELAY);
                if (n <= 0) {
                    break;
                }
                if (d->state != WANT_LEN_HI &&
                    xTaskGetTickCount() - d->started >= pdMS_TO_TICKS(EVT_PARTIAL_MS)) {
                    ESP_LOGW(TAG, "record stalled (%u of %u bytes), dropped", d->have, d->len);
                    assembler_reset(d);
                }
                assembler_feed(d, dtmp, (size_t)n);
                left -= (size_t)n;
            }
            break;
        }
        case UART_FIFO_OVF:
            ESP_LOGW(TAG, "hw fifo overflow");
            uart_flush_input(EVT_UART);
            xQueueReset(d->uart_queue);
            assembler_reset(d);
            break;
        case UART_BUFFER_FULL:
            ESP_LOGW(TAG, "ring buffer full");
            uart_flush_input(EVT_UART);
            xQueueReset(d->uart_queue);
            assembler_reset(d);
            break;
        case UART_BREAK:
            ESP_LOGI(TAG, "uart rx break");
            break;
        case UART_PARITY_ERR:
            ESP_LOGW(TAG, "uart parity error");
            break;
        case UART_FRAME_ERR:
            ESP_LOGW(TAG, "uart frame error");
            break;
        default:
            ESP_LOGI(TAG, "uart event type: %d", event.type);
            break;
        }
    }
}

static esp_err_t evt_transmit(void *h, void *buffer, size_t len)
{
    (void)h;
    if (len < EVT_MIN_FRAME || len > EVT_MAX_FRAME) {
        return ESP_ERR_INVALID_SIZE;
    }
    const uint8_t prefix[2] = { (uint8_t)(len >> 8), (uint8_t)len };
    uint8_t record[2 + EVT_MAX_FRAME];
    memcpy(record, prefix, 2);
    memcpy(record + 2, buffer, len);
    return uart_write_bytes(EVT_UART, record, len + 2) == (int)(len + 2) ? ESP_OK : ESP_FAIL;
}

static void evt_free_rx_buffer(void *h, void *buffer)
{
    (void)h;
    free(buffer);
}

static esp_err_t evt_post_attach(esp_netif_t *esp_netif, esp_netif_iodriver_handle h)
{
    uart_evt_driver_t *d = h;
    d->base.netif = esp_netif;
    const esp_netif_driver_ifconfig_t io = {
        .handle = d,
        .transmit = evt_transmit,
        .driver_free_rx_buffer = evt_free_rx_buffer,
    };
    ESP_ERROR_CHECK(esp_netif_set_driver_config(esp_netif, &io));
    if (xTaskCreate(uart_event_task, "uart_event_task", 3072, d, 12, NULL) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return ESP_OK;
}

void *uart_evt_netif_create(void)
{
    const uart_config_t uart_config = {
        .baud_rate = 115200,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    ESP_ERROR_CHECK(uart_driver_install(EVT_UART, EVT_BUF_SIZE, EVT_BUF_SIZE, EVT_QUEUE_LEN, &s_driver.uart_queue, 0));
    ESP_ERROR_CHECK(uart_param_config(EVT_UART, &uart_config));
    ESP_ERROR_CHECK(uart_set_pin(EVT_UART, 17, 16, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE));
    s_driver.state = WANT_LEN_HI;
    s_driver.base.post_attach = evt_post_attach;
    return &s_driver;
}
