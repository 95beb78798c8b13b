/*
 * application/x-www-form-urlencoded decoding for the setup page's form (WHATWG URL standard,
 * "application/x-www-form-urlencoded parsing": split on '&', the first '=' separates name
 * and value, '+' is a space, %XX a byte).  Names are compared after decoding.  Unlike the
 * standard, which keeps a malformed '%' as it is, a malformed escape is refused: a form
 * field is credentials, and guessing at them would store something the user did not type.
 */
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER

#include "form_urlencoded.h"

#include <string.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes src[0..len) into out (room for out_size bytes with the NUL). */
static form_field_result_t decode(const char *src, size_t len, char *out, size_t out_size, size_t *out_len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len) {
                return FORM_FIELD_BAD_ESCAPE;
            }
            const int hi = hex_digit(src[i + 1]), lo = hex_digit(src[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                return FORM_FIELD_BAD_ESCAPE;  /* a NUL would cut the C string short */
            }
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (n + 1 >= out_size) {
            return FORM_FIELD_TOO_LONG;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    if (out_len != NULL) {
        *out_len = n;
    }
    return FORM_FIELD_OK;
}

form_field_result_t form_field(const char *body, size_t len, const char *name, char *out, size_t out_size,
                               size_t *out_len)
{
    size_t start = 0;
    while (start <= len) {
        const char *amp = memchr(body + start, '&', len - start);
        const size_t end = amp != NULL ? (size_t)(amp - body) : len;
        const char *eq = memchr(body + start, '=', end - start);
        const size_t key_end = eq != NULL ? (size_t)(eq - body) : end;
        char key[32];  /* longer names are not ours */
        if (decode(body + start, key_end - start, key, sizeof key, NULL) == FORM_FIELD_OK && strcmp(key, name) == 0) {
            const size_t value_start = eq != NULL ? key_end + 1 : end;
            return decode(body + value_start, end - value_start, out, out_size, out_len);
        }
        start = end + 1;
    }
    return FORM_FIELD_MISSING;
}

#endif /* CONFIG_WIFI_MANAGER */
