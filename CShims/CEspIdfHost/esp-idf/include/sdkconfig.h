/*
 * sdkconfig.h for firmware compiled by `uart-tunnel device --driver …` on the host.
 *
 * On ESP-IDF this file is generated from menuconfig.  Here it holds only the
 * values the host layer itself implements, so `#include "sdkconfig.h"` works and
 * code that tests these options sees the host's real behaviour.  Project options
 * (CONFIG_NETIF_UART_TUNNEL_…) are deliberately absent: firmware headers fall back
 * to their own defaults.  To supply your own, put an sdkconfig.h in a directory
 * passed with -I: those directories are searched before this one.
 */
#ifndef ESP_IDF_HOST_SDKCONFIG_H
#define ESP_IDF_HOST_SDKCONFIG_H

#ifdef ESP_IDF_HOST_PROJECT_SDKCONFIG
/* A project build (`--project`, idf-host/tools/cmake): its Kconfig-generated sdkconfig.h is the only one, also for
 * the host headers here, which find this file first (#include "sdkconfig.h" searches their own directory). */
#include ESP_IDF_HOST_PROJECT_SDKCONFIG
#else

/* FreeRTOS tick: ESP-IDF's default 100 Hz (see freertos/FreeRTOS.h). */
#define CONFIG_FREERTOS_HZ 100
/* Every ESP_LOGx line is compiled in; esp_log_level_set / --log-level filter at run time. */
#define CONFIG_LOG_MAXIMUM_LEVEL 5
#define CONFIG_LOG_DEFAULT_LEVEL 3
/* lwIP is Debian's liblwip with core locking (its lwipopts.h, not ESP-IDF's). */
#define CONFIG_LWIP_TCPIP_CORE_LOCKING 1
#define CONFIG_ESP_NETIF_TCPIP_LWIP 1
/* esp-tls's one backend on the host: Debian's mbedTLS; esp_https_server's event timeout (v5.4 defaults). */
#define CONFIG_ESP_TLS_USING_MBEDTLS 1
#define CONFIG_ESP_HTTPS_SERVER_EVENT_POST_TIMEOUT 2000

#endif /* ESP_IDF_HOST_PROJECT_SDKCONFIG */

#endif
