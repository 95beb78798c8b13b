/*
 * esp_check.h on the host, as ESP-IDF v5.4's (components/esp_common/include/esp_check.h)
 * with its default configuration (CONFIG_COMPILER_OPTIMIZATION_CHECKS_SILENT off):
 * on failure each macro logs "E (ms) tag: function(line): message" and then returns,
 * returns nothing, or sets `ret` and jumps.  The _ISR forms log through
 * ESP_EARLY_LOGE, as ESP-IDF's do.
 */
#ifndef ESP_IDF_HOST_ESP_CHECK_H
#define ESP_IDF_HOST_ESP_CHECK_H

#include "esp_err.h"
#include "esp_log.h"

/* The one shape every check shares: when `failed`, log with `log` (ESP_LOGE or ESP_EARLY_LOGE), then `action`. */
#define ESP_CHECK_HOST_IMPL_(failed, action, log, log_tag, format, ...) do {                \
        if (unlikely(failed)) {                                                              \
            log(log_tag, "%s(%d): " format, __FUNCTION__, __LINE__, ##__VA_ARGS__);          \
            action;                                                                          \
        }                                                                                    \
    } while (0)

/* x is evaluated once; its esp_err_t is what the function returns or `ret` receives. */
#define ESP_RETURN_ON_ERROR(x, log_tag, format, ...) do {                                    \
        esp_err_t esp_check_rc_ = (x);                                                       \
        ESP_CHECK_HOST_IMPL_(esp_check_rc_ != ESP_OK, return esp_check_rc_, ESP_LOGE,        \
                             log_tag, format, ##__VA_ARGS__);                                \
    } while (0)
#define ESP_RETURN_ON_ERROR_ISR(x, log_tag, format, ...) do {                                \
        esp_err_t esp_check_rc_ = (x);                                                       \
        ESP_CHECK_HOST_IMPL_(esp_check_rc_ != ESP_OK, return esp_check_rc_, ESP_EARLY_LOGE,  \
                             log_tag, format, ##__VA_ARGS__);                                \
    } while (0)
#define ESP_RETURN_VOID_ON_ERROR(x, log_tag, format, ...) do {                               \
        esp_err_t esp_check_rc_ = (x);                                                       \
        ESP_CHECK_HOST_IMPL_(esp_check_rc_ != ESP_OK, return, ESP_LOGE,                      \
                             log_tag, format, ##__VA_ARGS__);                                \
    } while (0)
#define ESP_RETURN_VOID_ON_ERROR_ISR(x, log_tag, format, ...) do {                           \
        esp_err_t esp_check_rc_ = (x);                                                       \
        ESP_CHECK_HOST_IMPL_(esp_check_rc_ != ESP_OK, return, ESP_EARLY_LOGE,                \
                             log_tag, format, ##__VA_ARGS__);                                \
    } while (0)
#define ESP_GOTO_ON_ERROR(x, goto_tag, log_tag, format, ...) do {                            \
        esp_err_t esp_check_rc_ = (x);                                                       \
        ESP_CHECK_HOST_IMPL_(esp_check_rc_ != ESP_OK, ret = esp_check_rc_; goto goto_tag,    \
                             ESP_LOGE, log_tag, format, ##__VA_ARGS__);                      \
    } while (0)
#define ESP_GOTO_ON_ERROR_ISR(x, goto_tag, log_tag, format, ...) do {                        \
        esp_err_t esp_check_rc_ = (x);                                                       \
        ESP_CHECK_HOST_IMPL_(esp_check_rc_ != ESP_OK, ret = esp_check_rc_; goto goto_tag,    \
                             ESP_EARLY_LOGE, log_tag, format, ##__VA_ARGS__);                \
    } while (0)

/* a is a condition; when false the function returns err_code, returns nothing, or sets `ret` and jumps. */
#define ESP_RETURN_ON_FALSE(a, err_code, log_tag, format, ...) \
    ESP_CHECK_HOST_IMPL_(!(a), return err_code, ESP_LOGE, log_tag, format, ##__VA_ARGS__)
#define ESP_RETURN_ON_FALSE_ISR(a, err_code, log_tag, format, ...) \
    ESP_CHECK_HOST_IMPL_(!(a), return err_code, ESP_EARLY_LOGE, log_tag, format, ##__VA_ARGS__)
#define ESP_RETURN_VOID_ON_FALSE(a, log_tag, format, ...) \
    ESP_CHECK_HOST_IMPL_(!(a), return, ESP_LOGE, log_tag, format, ##__VA_ARGS__)
#define ESP_RETURN_VOID_ON_FALSE_ISR(a, log_tag, format, ...) \
    ESP_CHECK_HOST_IMPL_(!(a), return, ESP_EARLY_LOGE, log_tag, format, ##__VA_ARGS__)
#define ESP_GOTO_ON_FALSE(a, err_code, goto_tag, log_tag, format, ...) \
    ESP_CHECK_HOST_IMPL_(!(a), ret = err_code; goto goto_tag, ESP_LOGE, log_tag, format, ##__VA_ARGS__)
#define ESP_GOTO_ON_FALSE_ISR(a, err_code, goto_tag, log_tag, format, ...) \
    ESP_CHECK_HOST_IMPL_(!(a), ret = err_code; goto goto_tag, ESP_EARLY_LOGE, log_tag, format, ##__VA_ARGS__)

#endif
