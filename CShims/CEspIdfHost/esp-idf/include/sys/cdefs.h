/*
 * A shadow of the C library's sys/cdefs.h for firmware compiled against the host layer.
 *
 * ESP-IDF's toolchain (newlib) defines __containerof in sys/cdefs.h, which its
 * standard headers include; drivers use it after `#include <sys/cdefs.h>` or any
 * standard header.  glibc's sys/cdefs.h, also reached from every standard header
 * (through features.h), lacks it: this file includes glibc's and adds only that.
 */
#include_next <sys/cdefs.h>

#ifndef __containerof
/* The struct of type `type` whose member `member` is at ptr (type-checked against the member, as newlib's is). */
#define __containerof(ptr, type, member) __extension__({                                  \
        const volatile __typeof__(((type *)0)->member) *__containerof_p_ = (ptr);        \
        (type *)(void *)((char *)(__UINTPTR_TYPE__)__containerof_p_ - __builtin_offsetof(type, member)); \
    })
#endif
