/*
 * esp_log.h on the host: ESP_LOGE/W/I/D/V with per-tag run-time levels.
 *
 * Lines look like ESP-IDF's, "W (1234) tag: message", without colour codes, and
 * go to stderr with one write each, so they interleave cleanly with the toolkit's
 * own log lines (same format) and `grep "RX:"` works as on a QEMU log.
 * The run-time default level is the device's --log-level.
 */
#ifndef ESP_IDF_HOST_ESP_LOG_H
#define ESP_IDF_HOST_ESP_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ESP_LOG_NONE,
    ESP_LOG_ERROR,
    ESP_LOG_WARN,
    ESP_LOG_INFO,
    ESP_LOG_DEBUG,
    ESP_LOG_VERBOSE,
} esp_log_level_t;

/** Sets the level of one tag, or of every tag without its own level when tag is "*". */
void esp_log_level_set(const char *tag, esp_log_level_t level);
esp_log_level_t esp_log_level_get(const char *tag);

/** Milliseconds since the device started. */
uint32_t esp_log_timestamp(void);

/** Writes format as given (no prefix, no newline) if level is enabled for tag, as ESP-IDF does. */
void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void esp_log_writev(esp_log_level_t level, const char *tag, const char *format, va_list args);

/* What the ESP_LOGx macros call: one whole line with the "L (ms) tag: " prefix and a newline. */
void esp_idf_host_log_line(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Hex dump of a buffer at a level, 16 bytes a line (ESP_LOG_BUFFER_HEX_LEVEL). */
void esp_log_buffer_hex_internal(const char *tag, const void *buffer, uint16_t buff_len,
                                 esp_log_level_t level);

#ifndef LOG_LOCAL_LEVEL
#define LOG_LOCAL_LEVEL CONFIG_LOG_MAXIMUM_LEVEL
#endif

#define ESP_LOG_LEVEL_LOCAL(level, tag, format, ...) do {                    \
        if (LOG_LOCAL_LEVEL >= (level)) {                                    \
            esp_idf_host_log_line((level), (tag), format, ##__VA_ARGS__);    \
        }                                                                    \
    } while (0)

#define ESP_LOGE(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_ERROR, tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_WARN, tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_INFO, tag, format, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_DEBUG, tag, format, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_VERBOSE, tag, format, ##__VA_ARGS__)

#define ESP_LOG_LEVEL(level, tag, format, ...) ESP_LOG_LEVEL_LOCAL(level, tag, format, ##__VA_ARGS__)

#define ESP_LOG_BUFFER_HEX_LEVEL(tag, buffer, buff_len, level) do {          \
        if (LOG_LOCAL_LEVEL >= (level)) {                                    \
            esp_log_buffer_hex_internal((tag), (buffer), (buff_len), (level)); \
        }                                                                    \
    } while (0)
#define ESP_LOG_BUFFER_HEX(tag, buffer, buff_len) \
    ESP_LOG_BUFFER_HEX_LEVEL(tag, buffer, buff_len, ESP_LOG_INFO)

#ifdef __cplusplus
}
#endif

#endif
