/*
 * esp_log on the host, as ESP-IDF v5.4's components/log (log_level.c,
 * os/log_write.c, buffer/log_buffers.c).  Per-tag levels like ESP-IDF (a small
 * table; "*" is the default, which the device's --log-level sets), and each line
 * written with one write(2) so it never interleaves with the toolkit's own log
 * lines — unless the firmware routes logging elsewhere with esp_log_set_vprintf.
 */
#include "base/base.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "CEspIdfHost.h"
#include "esp_log.h"

#define MAX_TAGS 64

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static esp_log_level_t s_default = ESP_LOG_INFO;
static struct {
    char tag[32];
    esp_log_level_t level;
} s_tags[MAX_TAGS];
static int s_tag_count;
/* NULL: the host's own writer (stderr, one write a line). */
static vprintf_like_t s_vprintf;

void esp_log_level_set(const char *tag, esp_log_level_t level)
{
    if (tag == NULL) {
        return;
    }
    pthread_mutex_lock(&s_lock);
    if (strcmp(tag, "*") == 0) {
        /* as on ESP-IDF: "*" sets the default and forgets every tag's own level */
        s_default = level;
        s_tag_count = 0;
    } else {
        int i = 0;
        while (i < s_tag_count && strncmp(s_tags[i].tag, tag, sizeof s_tags[i].tag) != 0) {
            i++;
        }
        if (i == s_tag_count && s_tag_count < MAX_TAGS) {
            snprintf(s_tags[i].tag, sizeof s_tags[i].tag, "%s", tag);
            s_tag_count++;
        }
        if (i < MAX_TAGS) {
            s_tags[i].level = level;
        }
    }
    pthread_mutex_unlock(&s_lock);
}

esp_log_level_t esp_log_level_get(const char *tag)
{
    esp_log_level_t level;
    pthread_mutex_lock(&s_lock);
    level = s_default;
    for (int i = 0; tag != NULL && i < s_tag_count; i++) {
        if (strncmp(s_tags[i].tag, tag, sizeof s_tags[i].tag) == 0) {
            level = s_tags[i].level;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return level;
}

void CEspIdfHost_setLogLevel(int level)
{
    if (level < ESP_LOG_NONE) {
        level = ESP_LOG_NONE;
    }
    if (level > ESP_LOG_VERBOSE) {
        level = ESP_LOG_VERBOSE;
    }
    /* Keeps the levels the firmware set for its own tags (it may do so before or after this). */
    pthread_mutex_lock(&s_lock);
    s_default = (esp_log_level_t)level;
    pthread_mutex_unlock(&s_lock);
}

esp_log_level_t esp_log_get_default_level(void)
{
    pthread_mutex_lock(&s_lock);
    esp_log_level_t level = s_default;
    pthread_mutex_unlock(&s_lock);
    return level;
}

uint32_t esp_log_timestamp(void)
{
    return (uint32_t)host_now_ms();
}

uint32_t esp_log_early_timestamp(void)
{
    return (uint32_t)host_now_ms();
}

/* esp_log_set_vprintf: ESP-IDF starts with vprintf and returns the previous function; setting vprintf back
 * restores the host's writer (stderr), where the toolkit's log lines are. */
vprintf_like_t esp_log_set_vprintf(vprintf_like_t func)
{
    pthread_mutex_lock(&s_lock);
    vprintf_like_t previous = s_vprintf != NULL ? s_vprintf : vprintf;
    s_vprintf = func == vprintf ? NULL : func;
    pthread_mutex_unlock(&s_lock);
    return previous;
}

static vprintf_like_t current_vprintf(void)
{
    pthread_mutex_lock(&s_lock);
    vprintf_like_t func = s_vprintf;
    pthread_mutex_unlock(&s_lock);
    return func;
}

static int call_vprintf(vprintf_like_t func, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = func(format, args);
    va_end(args);
    return n;
}

/* The UART0 console (--console): gets every line this writer writes, after stderr. */
static void (*volatile s_console)(const char *text, size_t len);

void host_log_set_console(void (*sink)(const char *text, size_t len))
{
    s_console = sink;
}

static void write_all(const char *text, size_t len)
{
    void (*console)(const char *, size_t) = s_console;
    if (console != NULL) {
        console(text, len);
    }
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, text, len);
        if (n <= 0) {
            return;
        }
        text += n;
        len -= (size_t)n;
    }
}

/* A finished line to wherever logging goes. */
static void emit(const char *text, size_t len)
{
    vprintf_like_t func = current_vprintf();
    if (func != NULL) {
        call_vprintf(func, "%.*s", (int)len, text);
    } else {
        write_all(text, len);
    }
}

void esp_log_writev(esp_log_level_t level, const char *tag, const char *format, va_list args)
{
    if (level > esp_log_level_get(tag)) {
        return;
    }
    vprintf_like_t func = current_vprintf();
    if (func != NULL) {
        func(format, args);
        return;
    }
    char line[1024];
    int n = vsnprintf(line, sizeof line, format, args);
    if (n > 0) {
        write_all(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
    }
}

void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    esp_log_writev(level, tag, format, args);
    va_end(args);
}

/* "L (ms) tag: " (or "L tag: ") + message + "\n" into line, truncated to fit; returns its length. */
static size_t format_line(char line[static 1024], esp_log_level_t level, const char *tag, bool with_timestamp,
                          const char *format, va_list args)
{
    static const char letters[] = "NEWIDV";
    const size_t size = 1024;
    int used = with_timestamp
        ? snprintf(line, size, "%c (%" PRIu32 ") %s: ", letters[level], esp_log_timestamp(), tag != NULL ? tag : "?")
        : snprintf(line, size, "%c %s: ", letters[level], tag != NULL ? tag : "?");
    if (used < 0 || used >= (int)size - 1) {
        used = 0;
    }
    int n = vsnprintf(line + used, size - (size_t)used - 1, format, args);
    if (n < 0) {
        n = 0;
    }
    size_t len = (size_t)used + ((size_t)n < size - (size_t)used - 1 ? (size_t)n : size - (size_t)used - 2);
    line[len++] = '\n';
    return len;
}

/* ESP_LOG_LEVEL writes E, W, D and V as themselves and anything else as I. */
static esp_log_level_t written_level(esp_log_level_t level)
{
    return level == ESP_LOG_ERROR || level == ESP_LOG_WARN || level == ESP_LOG_DEBUG || level == ESP_LOG_VERBOSE
        ? level : ESP_LOG_INFO;
}

void host_log_line(esp_log_level_t level, const char *tag, const char *format, ...)
{
    level = written_level(level);
    if (level > esp_log_level_get(tag)) {
        return;
    }
    char line[1024];
    va_list args;
    va_start(args, format);
    size_t len = format_line(line, level, tag, true, format, args);
    va_end(args);
    emit(line, len);
}

/* ESP_EARLY_LOGx / ESP_DRAM_LOGx: the macro checked the default level; no per-tag level, and like
 * esp_rom_printf it bypasses esp_log_set_vprintf. */
void host_early_log_line(esp_log_level_t level, const char *tag, int with_timestamp, const char *format, ...)
{
    char line[1024];
    va_list args;
    va_start(args, format);
    size_t len = format_line(line, written_level(level), tag, with_timestamp != 0, format, args);
    va_end(args);
    write_all(line, len);
}

/*
 * esp_log_buffer.h, as buffer/log_buffers.c prints it: 16 bytes a line, each line an ESP_LOG_LEVEL line.
 *
 *   HEX      I (954) tag: 54 68 65 20 77 61 79 20 74 6f 20 67 65 74 20 73
 *   CHAR     I (980) tag: The way to get s
 *   HEXDUMP  I (1013) tag: 0x3ffb5bc0   54 68 65 20 77 61 79 20  74 6f 20 67 65 74 20 73  |The way to get s|
 *
 * HEXDUMP's address is the byte's own, in at least sizeof(uintptr_t) hex digits (esp_log_util_cvt_hex's pad);
 * missing bytes of the last line are blanks, and unprintable ones are '.' between the bars.
 */
#define BYTES_PER_LINE 16

typedef void (*line_format_t)(uintptr_t address, const uint8_t *bytes, int count, char *out);

static void hex_line(uintptr_t address, const uint8_t *bytes, int count, char *out)
{
    (void)address;
    for (int i = 0; i < count; i++) {
        out += sprintf(out, i == 0 ? "%02x" : " %02x", bytes[i]);
    }
    *out = '\0';
}

static void char_line(uintptr_t address, const uint8_t *bytes, int count, char *out)
{
    (void)address;
    memcpy(out, bytes, (size_t)count);
    out[count] = '\0';
}

static void hexdump_line(uintptr_t address, const uint8_t *bytes, int count, char *out)
{
    out += sprintf(out, "0x%0*" PRIxPTR " ", (int)sizeof(uintptr_t), address);
    for (int i = 0; i < BYTES_PER_LINE; i++) {
        out += sprintf(out, "%s", i % 8 == 0 ? "  " : " ");
        out += i < count ? sprintf(out, "%02x", bytes[i]) : sprintf(out, "  ");
    }
    out += sprintf(out, "  |");
    for (int i = 0; i < count; i++) {
        *out++ = bytes[i] >= 32 && bytes[i] <= 126 ? (char)bytes[i] : '.';
    }
    *out++ = '|';
    *out = '\0';
}

static void print_buffer(const char *tag, const void *buffer, uint16_t buff_len, esp_log_level_t level,
                         line_format_t format)
{
    const uint8_t *bytes = buffer;
    char line[2 + 2 * sizeof(uintptr_t) + 1 + BYTES_PER_LINE * 3 + 2 + 3 + BYTES_PER_LINE + 2 + 8];
    while (buff_len > 0) {
        int count = buff_len > BYTES_PER_LINE ? BYTES_PER_LINE : buff_len;
        format((uintptr_t)bytes, bytes, count, line);
        host_log_line(level, tag, "%s", line);
        bytes += count;
        buff_len -= (uint16_t)count;
    }
}

void esp_log_buffer_hex_internal(const char *tag, const void *buffer, uint16_t buff_len, esp_log_level_t level)
{
    print_buffer(tag, buffer, buff_len, level, hex_line);
}

void esp_log_buffer_char_internal(const char *tag, const void *buffer, uint16_t buff_len, esp_log_level_t level)
{
    print_buffer(tag, buffer, buff_len, level, char_line);
}

void esp_log_buffer_hexdump_internal(const char *tag, const void *buffer, uint16_t buff_len,
                                     esp_log_level_t log_level)
{
    print_buffer(tag, buffer, buff_len, log_level, hexdump_line);
}
