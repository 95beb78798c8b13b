/*
 * The host's NVS partition as a text file a user can read and edit:
 *
 *   # uart-tunnel NVS partition "nvs" …
 *   namespace "storage"
 *   u32 "storage" "boots" 3
 *   str "storage" "ssid" "home \"net\""
 *   blob "storage" "cal" 0a0b0c
 *
 * Names and strings are quoted with \" \\ and \xNN escapes; blobs are hex.  Entries keep their order.
 */
#include "system/nvs_store.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    nvs_type_t type;
    const char *name;
    size_t size;
    bool is_signed;
} s_types[] = {
    { NVS_TYPE_U8, "u8", 1, false }, { NVS_TYPE_I8, "i8", 1, true }, { NVS_TYPE_U16, "u16", 2, false },
    { NVS_TYPE_I16, "i16", 2, true }, { NVS_TYPE_U32, "u32", 4, false }, { NVS_TYPE_I32, "i32", 4, true },
    { NVS_TYPE_U64, "u64", 8, false }, { NVS_TYPE_I64, "i64", 8, true }, { NVS_TYPE_STR, "str", 0, false },
    { NVS_TYPE_BLOB, "blob", 0, false },
};
#define TYPE_COUNT (sizeof s_types / sizeof s_types[0])

/* MARK: - Writing */

typedef struct {
    char *text;
    size_t length, capacity;
    bool failed;
} text_t;

static void append(text_t *t, const char *bytes, size_t count)
{
    if (t->failed) {
        return;
    }
    if (t->length + count + 1 > t->capacity) {
        size_t capacity = (t->length + count + 1) * 2;
        char *grown = realloc(t->text, capacity);
        if (grown == NULL) {
            t->failed = true;
            return;
        }
        t->text = grown;
        t->capacity = capacity;
    }
    memcpy(t->text + t->length, bytes, count);
    t->length += count;
    t->text[t->length] = '\0';
}

static void append_str(text_t *t, const char *s)
{
    append(t, s, strlen(s));
}

static void append_quoted(text_t *t, const uint8_t *bytes, size_t count)
{
    append(t, "\"", 1);
    for (size_t i = 0; i < count; i++) {
        char escape[5];
        if (bytes[i] == '"' || bytes[i] == '\\') {
            snprintf(escape, sizeof escape, "\\%c", bytes[i]);
        } else if (bytes[i] < 0x20 || bytes[i] >= 0x7f) {
            snprintf(escape, sizeof escape, "\\x%02x", bytes[i]);
        } else {
            escape[0] = (char)bytes[i];
            escape[1] = '\0';
        }
        append_str(t, escape);
    }
    append(t, "\"", 1);
}

static void append_item(text_t *t, const nvs_item_t *item)
{
    size_t index = 0;
    while (index < TYPE_COUNT && s_types[index].type != item->type) {
        index++;
    }
    append_str(t, s_types[index].name);
    append(t, " ", 1);
    append_quoted(t, (const uint8_t *)item->ns, strlen(item->ns));
    append(t, " ", 1);
    append_quoted(t, (const uint8_t *)item->key, strlen(item->key));
    append(t, " ", 1);
    char number[32];
    if (item->type == NVS_TYPE_STR) {
        append_quoted(t, item->data, item->size - 1);   /* without its NUL */
    } else if (item->type == NVS_TYPE_BLOB) {
        for (size_t i = 0; i < item->size; i++) {
            snprintf(number, sizeof number, "%02x", item->data[i]);
            append(t, number, 2);
        }
    } else {
        uint64_t bits = 0;
        for (size_t i = 0; i < item->size; i++) {
            bits |= (uint64_t)item->data[i] << (8 * i);
        }
        if (s_types[index].is_signed) {
            int shift = 64 - 8 * (int)item->size;
            int64_t value = (int64_t)(bits << shift) >> shift;   /* sign-extend from the item's width */
            snprintf(number, sizeof number, "%" PRId64, value);
        } else {
            snprintf(number, sizeof number, "%" PRIu64, bits);
        }
        append_str(t, number);
    }
    append(t, "\n", 1);
}

static bool write_all(int fd, const char *bytes, size_t count)
{
    while (count > 0) {
        ssize_t n = write(fd, bytes, count);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        bytes += n;
        count -= (size_t)n;
    }
    return true;
}

esp_err_t host_nvs_file_write(int fd, const char *path, const nvs_table_t *table)
{
    text_t t = { 0 };
    append_str(&t, "# uart-tunnel NVS partition \"nvs\" (ESP-IDF nvs_flash on the host); one entry a line:\n"
                   "# namespace \"NAME\" | TYPE \"NAMESPACE\" \"KEY\" VALUE  (u8 i8 u16 i16 u32 i32 u64 i64, "
                   "str \"text\", blob hex)\n");
    for (size_t i = 0; i < table->namespace_count; i++) {
        append_str(&t, "namespace ");
        append_quoted(&t, (const uint8_t *)table->namespaces[i], strlen(table->namespaces[i]));
        append(&t, "\n", 1);
    }
    for (size_t i = 0; i < table->count; i++) {
        append_item(&t, &table->items[i]);
    }
    if (t.failed) {
        free(t.text);
        return ESP_ERR_NO_MEM;
    }
    bool ok;
    if (fd >= 0) {
        /* an inherited descriptor (the default, a memfd that lives as long as the device): rewrite it in place */
        ok = ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0 && write_all(fd, t.text, t.length);
    } else {
        /* a user's file: never half-written, whatever happens to the process (write a sibling, then rename) */
        char temporary[4096];
        snprintf(temporary, sizeof temporary, "%s.tmp-%d", path, (int)getpid());
        FILE *file = fopen(temporary, "w");
        ok = file != NULL && fwrite(t.text, 1, t.length, file) == t.length;
        ok = file != NULL && fflush(file) == 0 && fsync(fileno(file)) == 0 && ok;
        ok = (file == NULL || fclose(file) == 0) && ok;
        ok = ok && rename(temporary, path) == 0;
        if (!ok) {
            host_log_line(ESP_LOG_ERROR, "nvs", "cannot write %s: %s", path, strerror(errno));
            unlink(temporary);
        }
    }
    free(t.text);
    return ok ? ESP_OK : ESP_FAIL;
}

/* MARK: - Reading */

/* Reads a quoted string at *at into out (at most out_size bytes); returns its length or -1. */
static long read_quoted(const char **at, uint8_t *out, size_t out_size)
{
    const char *p = *at;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p++ != '"') {
        return -1;
    }
    size_t length = 0;
    while (*p != '"') {
        unsigned value;
        if (*p == '\0' || *p == '\n') {
            return -1;
        }
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
            value = (unsigned char)p[1];
            p += 2;
        } else if (*p == '\\' && p[1] == 'x' && isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3])) {
            sscanf(p + 2, "%2x", &value);
            p += 4;
        } else if (*p == '\\') {
            return -1;
        } else {
            value = (unsigned char)*p++;
        }
        if (length >= out_size) {
            return -1;
        }
        out[length++] = (uint8_t)value;
    }
    *at = p + 1;
    return (long)length;
}

static bool read_name(const char **at, char name[NVS_KEY_NAME_MAX_SIZE])
{
    long length = read_quoted(at, (uint8_t *)name, NVS_KEY_NAME_MAX_SIZE - 1);
    if (length <= 0 || memchr(name, '\0', (size_t)length) != NULL) {
        return false;
    }
    name[length] = '\0';
    return true;
}

static bool at_end(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
        p++;
    }
    return *p == '\0';
}

/* One entry line; NULL or the reason it is not one. */
static const char *parse_line(const char *line, nvs_table_t *table)
{
    char word[16] = "";
    int used = 0;
    if (sscanf(line, "%15s%n", word, &used) != 1) {
        return "no entry type";
    }
    const char *p = line + used;
    char ns[NVS_NS_NAME_MAX_SIZE], key[NVS_KEY_NAME_MAX_SIZE];
    if (strcmp(word, "namespace") == 0) {
        if (!read_name(&p, ns) || !at_end(p)) {
            return "expected namespace \"NAME\" (1 to 15 characters)";
        }
        return host_nvs_add_namespace(table, ns) == ESP_OK ? NULL : "too many namespaces";
    }
    size_t type = 0;
    while (type < TYPE_COUNT && strcmp(s_types[type].name, word) != 0) {
        type++;
    }
    if (type == TYPE_COUNT) {
        return "unknown type (namespace, u8, i8, u16, i16, u32, i32, u64, i64, str, blob)";
    }
    if (!read_name(&p, ns) || !read_name(&p, key)) {
        return "expected \"NAMESPACE\" \"KEY\" (1 to 15 characters each)";
    }
    if (!host_nvs_has_namespace(table, ns) && host_nvs_add_namespace(table, ns) != ESP_OK) {
        return "too many namespaces";
    }
    static uint8_t value[NVS_CHUNK_MAX * 64];
    size_t size = 0;
    const nvs_type_t t = s_types[type].type;
    if (t == NVS_TYPE_STR) {
        long length = read_quoted(&p, value, NVS_CHUNK_MAX - 1);
        if (length < 0 || memchr(value, '\0', (size_t)length) != NULL) {
            return "expected a quoted string of at most 3999 bytes without NUL";
        }
        value[length] = '\0';
        size = (size_t)length + 1;
    } else if (t == NVS_TYPE_BLOB) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        unsigned byte;
        while (isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]) && size < sizeof value) {
            sscanf(p, "%2x", &byte);
            value[size++] = (uint8_t)byte;
            p += 2;
        }
    } else {
        char *end;
        errno = 0;
        const int bits = 8 * (int)s_types[type].size;
        uint64_t raw;
        if (s_types[type].is_signed) {
            long long v = strtoll(p, &end, 10);
            long long low = bits == 64 ? INT64_MIN : -(1LL << (bits - 1));
            long long high = bits == 64 ? INT64_MAX : (1LL << (bits - 1)) - 1;
            if (end == p || errno != 0 || v < low || v > high) {
                return "integer missing or out of range for its type";
            }
            raw = (uint64_t)v;
        } else {
            while (*p == ' ' || *p == '\t') {
                p++;
            }
            unsigned long long v = strtoull(p, &end, 10);
            if (end == p || *p == '-' || errno != 0 || (bits < 64 && v >> bits != 0)) {
                return "integer missing or out of range for its type";
            }
            raw = v;
        }
        p = end;
        size = s_types[type].size;
        for (size_t i = 0; i < size; i++) {
            value[i] = (uint8_t)(raw >> (8 * i));
        }
    }
    if (!at_end(p)) {
        return "unexpected text after the value";
    }
    if (host_nvs_find(table, ns, key) != NULL) {
        return "the key appears twice in its namespace";
    }
    esp_err_t err = host_nvs_put(table, ns, key, t, value, size);
    return err == ESP_OK ? NULL : err == ESP_ERR_NVS_NOT_ENOUGH_SPACE ? "the partition is full" : "out of memory";
}

esp_err_t host_nvs_file_read(int fd, const char *path, nvs_table_t *table, char *error, size_t error_size)
{
    FILE *file = fd >= 0 ? fdopen(dup(fd), "r") : fopen(path, "r");
    if (file == NULL) {
        if (fd < 0 && errno == ENOENT) {
            return ESP_OK;      /* a new partition: erased flash */
        }
        snprintf(error, error_size, "%s: %s", path, strerror(errno));
        return ESP_FAIL;
    }
    if (fd >= 0) {
        rewind(file);
    }
    char *line = NULL;
    size_t capacity = 0;
    esp_err_t result = ESP_OK;
    for (int number = 1; getline(&line, &capacity, file) >= 0; number++) {
        const char *p = line;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p == '#' || at_end(p)) {
            continue;
        }
        const char *problem = parse_line(p, table);
        if (problem != NULL) {
            snprintf(error, error_size, "%s:%d: %s", path, number, problem);
            result = ESP_FAIL;
            break;
        }
    }
    free(line);
    fclose(file);
    return result;
}
