/*
 * esp_log on the host.  Per-tag levels like ESP-IDF (a small table; "*" is the
 * default, which the device's --log-level sets), and each line written with one
 * write(2) so it never interleaves with the toolkit's own log lines.
 */
#include "host_internal.h"

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

uint32_t esp_log_timestamp(void)
{
    return (uint32_t)host_now_ms();
}

static void write_all(const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, text, len);
        if (n <= 0) {
            return;
        }
        text += n;
        len -= (size_t)n;
    }
}

void esp_log_writev(esp_log_level_t level, const char *tag, const char *format, va_list args)
{
    if (level > esp_log_level_get(tag)) {
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

void esp_idf_host_log_line(esp_log_level_t level, const char *tag, const char *format, ...)
{
    static const char letters[] = "NEWIDV";
    if (level > esp_log_level_get(tag)) {
        return;
    }
    char line[1024];
    int used = snprintf(line, sizeof line, "%c (%u) %s: ", letters[level <= ESP_LOG_VERBOSE ? level : 0],
                        esp_log_timestamp(), tag != NULL ? tag : "?");
    if (used < 0 || used >= (int)sizeof line - 1) {
        used = 0;
    }
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line + used, sizeof line - (size_t)used - 1, format, args);
    va_end(args);
    if (n < 0) {
        n = 0;
    }
    size_t len = (size_t)used + ((size_t)n < sizeof line - (size_t)used - 1 ? (size_t)n : sizeof line - (size_t)used - 2);
    line[len++] = '\n';
    write_all(line, len);
}

void esp_log_buffer_hex_internal(const char *tag, const void *buffer, uint16_t buff_len, esp_log_level_t level)
{
    const uint8_t *bytes = buffer;
    for (uint16_t offset = 0; offset < buff_len; offset += 16) {
        char hex[16 * 3 + 1];
        size_t used = 0;
        for (uint16_t i = offset; i < buff_len && i < offset + 16; i++) {
            used += (size_t)snprintf(hex + used, sizeof hex - used, "%02x ", bytes[i]);
        }
        if (used > 0) {
            hex[used - 1] = '\0';
        }
        esp_idf_host_log_line(level, tag, "%s", hex);
    }
}
