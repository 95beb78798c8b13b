/*
 * esp_compiler.h on the host, as ESP-IDF v5.4 has it (components/esp_common/include/esp_compiler.h):
 * likely/unlikely, the designated-initializer helpers and the diagnostic push/ignore/pop pair.
 * esp_err.h includes it, so every ESP-IDF header brings likely/unlikely as on the chip.
 */
#ifndef ESP_IDF_HOST_ESP_COMPILER_H
#define ESP_IDF_HOST_ESP_COMPILER_H

#include "sdkconfig.h"

/* Branch hints only with CONFIG_COMPILER_OPTIMIZATION_PERF; ESP-IDF's default (debug optimisation) makes them
 * plain expressions, and so does the host's sdkconfig.h. */
#if CONFIG_COMPILER_OPTIMIZATION_PERF
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#else
#ifndef likely
#define likely(x) (x)
#endif
#ifndef unlikely
#define unlikely(x) (x)
#endif
#endif

/* Aggregate members in designated initializers: C spells them `.m = v,` and leaves empty ones out;
 * C++ before C++20 needs braces around string members. The separator comma is part of the macro. */
#if defined(__cplusplus) && __cplusplus >= 202002L
#define ESP_COMPILER_DESIGNATED_INIT_AGGREGATE_TYPE_STR(member, value) .member = value,
#define ESP_COMPILER_DESIGNATED_INIT_AGGREGATE_TYPE_EMPTY(member) .member = { },
#elif defined(__cplusplus)
#define ESP_COMPILER_DESIGNATED_INIT_AGGREGATE_TYPE_STR(member, value) { .member = value },
#define ESP_COMPILER_DESIGNATED_INIT_AGGREGATE_TYPE_EMPTY(member) .member = { },
#else
#define ESP_COMPILER_DESIGNATED_INIT_AGGREGATE_TYPE_STR(member, value) .member = value,
#define ESP_COMPILER_DESIGNATED_INIT_AGGREGATE_TYPE_EMPTY(member)
#endif

#define __COMPILER_PRAGMA__(string) _Pragma(#string)
#define _COMPILER_PRAGMA_(string) __COMPILER_PRAGMA__(string)

/* Silences one warning between PUSH_IGNORE and POP; an unknown warning name is itself not reported. */
#if defined(__clang__)
#define ESP_COMPILER_DIAGNOSTIC_PUSH_IGNORE(warning)                          \
    __COMPILER_PRAGMA__(clang diagnostic push)                                \
    __COMPILER_PRAGMA__(clang diagnostic ignored "-Wunknown-warning-option")  \
    __COMPILER_PRAGMA__(clang diagnostic ignored warning)
#define ESP_COMPILER_DIAGNOSTIC_POP(warning) __COMPILER_PRAGMA__(clang diagnostic pop)
#elif defined(__GNUC__)
#define ESP_COMPILER_DIAGNOSTIC_PUSH_IGNORE(warning)                          \
    __COMPILER_PRAGMA__(GCC diagnostic push)                                  \
    __COMPILER_PRAGMA__(GCC diagnostic ignored "-Wpragmas")                   \
    __COMPILER_PRAGMA__(GCC diagnostic ignored warning)
#define ESP_COMPILER_DIAGNOSTIC_POP(warning) __COMPILER_PRAGMA__(GCC diagnostic pop)
#else
#define ESP_COMPILER_DIAGNOSTIC_PUSH_IGNORE(warning)
#define ESP_COMPILER_DIAGNOSTIC_POP(warning)
#endif

#if defined(__clang_analyzer__) || CONFIG_COMPILER_STATIC_ANALYZER
#define ESP_STATIC_ANALYZER_CHECK(_expr_, _ret_) do { if ((_expr_)) { return (_ret_); } } while (0)
#else
#define ESP_STATIC_ANALYZER_CHECK(_expr_, _ret_)
#endif

#endif
