/*
 * hal/uart_types.h on the host: the UART types of ESP-IDF v5.4's
 * components/hal/include/hal/uart_types.h for an ESP32 (three HP UARTs, no LP
 * UART).  driver/uart.h includes it, as on ESP-IDF; drivers may include it
 * directly too.
 */
#ifndef ESP_IDF_HOST_HAL_UART_TYPES_H
#define ESP_IDF_HOST_HAL_UART_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An enum on ESP-IDF too (SOC_UART_HP_NUM is 3 on an ESP32). */
typedef enum {
    UART_NUM_0,
    UART_NUM_1,
    UART_NUM_2,
    UART_NUM_MAX,
} uart_port_t;

typedef enum {
    UART_MODE_UART = 0x00,
    UART_MODE_RS485_HALF_DUPLEX = 0x01,
    UART_MODE_IRDA = 0x02,
    UART_MODE_RS485_COLLISION_DETECT = 0x03,
    UART_MODE_RS485_APP_CTRL = 0x04,
} uart_mode_t;

typedef enum {
    UART_DATA_5_BITS = 0x0,
    UART_DATA_6_BITS = 0x1,
    UART_DATA_7_BITS = 0x2,
    UART_DATA_8_BITS = 0x3,
    UART_DATA_BITS_MAX = 0x4,
} uart_word_length_t;

typedef enum {
    UART_STOP_BITS_1 = 0x1,
    UART_STOP_BITS_1_5 = 0x2,
    UART_STOP_BITS_2 = 0x3,
    UART_STOP_BITS_MAX = 0x4,
} uart_stop_bits_t;

typedef enum {
    UART_PARITY_DISABLE = 0x0,
    UART_PARITY_EVEN = 0x2,
    UART_PARITY_ODD = 0x3,
} uart_parity_t;

typedef enum {
    UART_HW_FLOWCTRL_DISABLE = 0x0,
    UART_HW_FLOWCTRL_RTS = 0x1,
    UART_HW_FLOWCTRL_CTS = 0x2,
    UART_HW_FLOWCTRL_CTS_RTS = 0x3,
    UART_HW_FLOWCTRL_MAX = 0x4,
} uart_hw_flowcontrol_t;

typedef enum {
    UART_SIGNAL_INV_DISABLE = 0,
    UART_SIGNAL_IRDA_TX_INV = (0x1 << 0),
    UART_SIGNAL_IRDA_RX_INV = (0x1 << 1),
    UART_SIGNAL_RXD_INV = (0x1 << 2),
    UART_SIGNAL_CTS_INV = (0x1 << 3),
    UART_SIGNAL_DSR_INV = (0x1 << 4),
    UART_SIGNAL_TXD_INV = (0x1 << 5),
    UART_SIGNAL_RTS_INV = (0x1 << 6),
    UART_SIGNAL_DTR_INV = (0x1 << 7),
} uart_signal_inv_t;

/* soc_periph_uart_clk_src_legacy_t of an ESP32: APB (80 MHz, the default) or REF_TICK (1 MHz). */
typedef enum {
    UART_SCLK_APB = 0,
    UART_SCLK_REF_TICK = 1,
    UART_SCLK_DEFAULT = UART_SCLK_APB,
} uart_sclk_t;

typedef struct {
    uint8_t cmd_char;
    uint8_t char_num;
    uint32_t gap_tout;
    uint32_t pre_idle;
    uint32_t post_idle;
} uart_at_cmd_t;

typedef struct {
    uint8_t xon_char;
    uint8_t xoff_char;
    uint8_t xon_thrd;
    uint8_t xoff_thrd;
} uart_sw_flowctrl_t;

#ifdef __cplusplus
}
#endif

#endif
