/*
 * esp_log.h on the host, as ESP-IDF v5.4's (components/log/include/esp_log.h,
 * esp_log_level.h, esp_log_buffer.h, esp_log_timestamp.h, esp_log_color.h with
 * CONFIG_LOG_COLORS off, its v5.4 default).
 *
 * Lines look like ESP-IDF's, "W (1234) tag: message", and go to stderr with one
 * write each, so they interleave cleanly with the toolkit's own log lines (same
 * format) and `grep "RX:"` works as on a QEMU log.  The run-time default level is
 * the device's --log-level.  Like ESP-IDF's it brings inttypes.h (PRIu32 …).
 */
#ifndef ESP_IDF_HOST_ESP_LOG_H
#define ESP_IDF_HOST_ESP_LOG_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ESP_LOG_NONE = 0,
    ESP_LOG_ERROR = 1,
    ESP_LOG_WARN = 2,
    ESP_LOG_INFO = 3,
    ESP_LOG_DEBUG = 4,
    ESP_LOG_VERBOSE = 5,
    ESP_LOG_MAX = 6,
} esp_log_level_t;

typedef int (*vprintf_like_t)(const char *, va_list);

/** Sets the level of one tag, or of every tag without its own level when tag is "*". */
void esp_log_level_set(const char *tag, esp_log_level_t level);
/** The tag's level; the default level for NULL or a tag without its own. */
esp_log_level_t esp_log_level_get(const char *tag);
/** The default level (ESP-IDF has it inline over esp_log_default_level; a function here). */
esp_log_level_t esp_log_get_default_level(void);

/** Routes log output through func (vprintf-like); returns the previous one (vprintf at first, as ESP-IDF). */
vprintf_like_t esp_log_set_vprintf(vprintf_like_t func);

/** Milliseconds since the device started. */
uint32_t esp_log_timestamp(void);
/** The same clock (ESP-IDF reads the CPU cycle counter; the host has one clock). */
uint32_t esp_log_early_timestamp(void);

/** Writes format as given (no prefix, no newline) if level is enabled for tag, as ESP-IDF does. */
void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void esp_log_writev(esp_log_level_t level, const char *tag, const char *format, va_list args);

/* What ESP_LOG_LEVEL expands to: one whole line "L (ms) tag: …\n", filtered by the tag's level; a level other
 * than E/W/D/V is written as I, as ESP-IDF's ESP_LOG_LEVEL does. */
void host_log_line(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* What ESP_EARLY_LOGx (with_timestamp) and ESP_DRAM_LOGx (without: "L tag: …") expand to; no per-tag filter,
 * like ESP-IDF's esp_rom_printf path (the macro checks the default level). */
void host_early_log_line(esp_log_level_t level, const char *tag, int with_timestamp, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* esp_log_buffer.h: 16 bytes a line, at level (the macros check LOG_LOCAL_LEVEL; these the tag's level). */
void esp_log_buffer_hex_internal(const char *tag, const void *buffer, uint16_t buff_len, esp_log_level_t level);
void esp_log_buffer_char_internal(const char *tag, const void *buffer, uint16_t buff_len, esp_log_level_t level);
void esp_log_buffer_hexdump_internal(const char *tag, const void *buffer, uint16_t buff_len,
                                     esp_log_level_t log_level);

/* esp_log_color.h with CONFIG_LOG_COLORS=n (v5.4's default): every colour is empty. */
#define LOG_COLOR_E ""
#define LOG_COLOR_W ""
#define LOG_COLOR_I ""
#define LOG_COLOR_D ""
#define LOG_COLOR_V ""
#define LOG_RESET_COLOR ""
#define LOG_FORMAT(letter, format) LOG_COLOR_##letter #letter " (%" PRIu32 ") %s: " format LOG_RESET_COLOR "\n"

/* LOG_LOCAL_LEVEL decides what is compiled in (define it before including esp_log.h to change it). */
#ifndef LOG_LOCAL_LEVEL
#define LOG_LOCAL_LEVEL CONFIG_LOG_MAXIMUM_LEVEL
#endif

#define _ESP_LOG_ENABLED(log_level) (LOG_LOCAL_LEVEL >= (log_level))
#define _ESP_LOG_EARLY_ENABLED(log_level) \
    (LOG_LOCAL_LEVEL >= (log_level) && esp_log_get_default_level() >= (log_level))

#define ESP_LOG_LEVEL(level, tag, format, ...) host_log_line((level), (tag), format, ##__VA_ARGS__)

#define ESP_LOG_LEVEL_LOCAL(level, tag, format, ...) do {                    \
        if (_ESP_LOG_ENABLED(level)) {                                       \
            ESP_LOG_LEVEL(level, tag, format, ##__VA_ARGS__);                \
        }                                                                    \
    } while (0)

#define ESP_LOGE(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_ERROR, tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_WARN, tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_INFO, tag, format, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_DEBUG, tag, format, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) ESP_LOG_LEVEL_LOCAL(ESP_LOG_VERBOSE, tag, format, ##__VA_ARGS__)

/* Startup-code logging: no per-tag level, only LOG_LOCAL_LEVEL and the default level. */
#define ESP_LOG_EARLY_IMPL(tag, format, log_level, ...) do {                               \
        if (_ESP_LOG_EARLY_ENABLED(log_level)) {                                           \
            host_early_log_line((log_level), (tag), 1, format, ##__VA_ARGS__);     \
        }                                                                                  \
    } while (0)
#define ESP_EARLY_LOGE(tag, format, ...) ESP_LOG_EARLY_IMPL(tag, format, ESP_LOG_ERROR, ##__VA_ARGS__)
#define ESP_EARLY_LOGW(tag, format, ...) ESP_LOG_EARLY_IMPL(tag, format, ESP_LOG_WARN, ##__VA_ARGS__)
#define ESP_EARLY_LOGI(tag, format, ...) ESP_LOG_EARLY_IMPL(tag, format, ESP_LOG_INFO, ##__VA_ARGS__)
#define ESP_EARLY_LOGD(tag, format, ...) ESP_LOG_EARLY_IMPL(tag, format, ESP_LOG_DEBUG, ##__VA_ARGS__)
#define ESP_EARLY_LOGV(tag, format, ...) ESP_LOG_EARLY_IMPL(tag, format, ESP_LOG_VERBOSE, ##__VA_ARGS__)

/* Logging with the cache disabled: as early logging, and without a timestamp ("E tag: …"). */
#define ESP_DRAM_LOG_IMPL(tag, format, log_level, ...) do {                                \
        if (_ESP_LOG_EARLY_ENABLED(log_level)) {                                           \
            host_early_log_line((log_level), (tag), 0, format, ##__VA_ARGS__);     \
        }                                                                                  \
    } while (0)
#define ESP_DRAM_LOGE(tag, format, ...) ESP_DRAM_LOG_IMPL(tag, format, ESP_LOG_ERROR, ##__VA_ARGS__)
#define ESP_DRAM_LOGW(tag, format, ...) ESP_DRAM_LOG_IMPL(tag, format, ESP_LOG_WARN, ##__VA_ARGS__)
#define ESP_DRAM_LOGI(tag, format, ...) ESP_DRAM_LOG_IMPL(tag, format, ESP_LOG_INFO, ##__VA_ARGS__)
#define ESP_DRAM_LOGD(tag, format, ...) ESP_DRAM_LOG_IMPL(tag, format, ESP_LOG_DEBUG, ##__VA_ARGS__)
#define ESP_DRAM_LOGV(tag, format, ...) ESP_DRAM_LOG_IMPL(tag, format, ESP_LOG_VERBOSE, ##__VA_ARGS__)

/* esp_log_buffer.h's macros: HEX "54 68 65 …", CHAR 16 characters, HEXDUMP
 * "0x3ffb5bc0   54 68 65 20 77 61 79 20  74 6f 20 67 65 74 20 73  |The way to get s|". */
#define ESP_LOG_BUFFER_HEX_LEVEL(tag, buffer, buff_len, level) do {                    \
        if (LOG_LOCAL_LEVEL >= (level)) {                                              \
            esp_log_buffer_hex_internal((tag), (buffer), (buff_len), (level));         \
        }                                                                              \
    } while (0)
#define ESP_LOG_BUFFER_CHAR_LEVEL(tag, buffer, buff_len, level) do {                   \
        if (LOG_LOCAL_LEVEL >= (level)) {                                              \
            esp_log_buffer_char_internal((tag), (buffer), (buff_len), (level));        \
        }                                                                              \
    } while (0)
#define ESP_LOG_BUFFER_HEXDUMP(tag, buffer, buff_len, level) do {                      \
        if (LOG_LOCAL_LEVEL >= (level)) {                                              \
            esp_log_buffer_hexdump_internal((tag), (buffer), (buff_len), (level));     \
        }                                                                              \
    } while (0)
#define ESP_LOG_BUFFER_HEX(tag, buffer, buff_len) \
    ESP_LOG_BUFFER_HEX_LEVEL(tag, buffer, buff_len, ESP_LOG_INFO)
#define ESP_LOG_BUFFER_CHAR(tag, buffer, buff_len) \
    ESP_LOG_BUFFER_CHAR_LEVEL(tag, buffer, buff_len, ESP_LOG_INFO)

/* The pre-v5.3 function names, deprecated in v5.4 as there. */
__attribute__((deprecated("Use 'ESP_LOG_BUFFER_HEX' instead")))
static inline void esp_log_buffer_hex(const char *tag, const void *buffer, uint16_t buff_len)
{
    ESP_LOG_BUFFER_HEX(tag, buffer, buff_len);
}
__attribute__((deprecated("Use 'ESP_LOG_BUFFER_CHAR' instead")))
static inline void esp_log_buffer_char(const char *tag, const void *buffer, uint16_t buff_len)
{
    ESP_LOG_BUFFER_CHAR(tag, buffer, buff_len);
}

#ifdef __cplusplus
}
#endif

#endif
