/*
 * Fields of an application/x-www-form-urlencoded body (what an HTML form POSTs):
 * "name=value&name=value", with '+' for a space and %XX for any other byte.
 */
#ifndef FORM_URLENCODED_H
#define FORM_URLENCODED_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FORM_FIELD_OK,
    FORM_FIELD_MISSING,     /* no field with that name */
    FORM_FIELD_TOO_LONG,    /* decoded, it does not fit in out (with its NUL) */
    FORM_FIELD_BAD_ESCAPE,  /* a '%' not followed by two hex digits, or %00 */
} form_field_result_t;

/**
 * Decodes the first field called `name` of the body (len bytes, need not end in NUL) into out, NUL-terminated.
 * out_len (may be NULL) receives the decoded length.
 */
form_field_result_t form_field(const char *body, size_t len, const char *name, char *out, size_t out_size,
                               size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* FORM_URLENCODED_H */
