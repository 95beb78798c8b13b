/*
 * esp_err_to_name and ESP_ERROR_CHECK's failure report, worded as ESP-IDF words
 * them so a host log reads like a serial console.  An ESP32 would reset after
 * the report; the host process aborts instead.
 */
#include "host_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "esp_err.h"
#include "esp_http_server.h"
#include "esp_idf_version.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "nvs.h"

static const struct {
    esp_err_t code;
    const char *name;
} s_names[] = {
#define NAME(code) { code, #code }
    NAME(ESP_OK), NAME(ESP_FAIL), NAME(ESP_ERR_NO_MEM), NAME(ESP_ERR_INVALID_ARG), NAME(ESP_ERR_INVALID_STATE),
    NAME(ESP_ERR_INVALID_SIZE), NAME(ESP_ERR_NOT_FOUND), NAME(ESP_ERR_NOT_SUPPORTED), NAME(ESP_ERR_TIMEOUT),
    NAME(ESP_ERR_INVALID_RESPONSE), NAME(ESP_ERR_INVALID_CRC), NAME(ESP_ERR_INVALID_VERSION),
    NAME(ESP_ERR_INVALID_MAC), NAME(ESP_ERR_NOT_FINISHED), NAME(ESP_ERR_NOT_ALLOWED),
    NAME(ESP_ERR_NVS_NOT_INITIALIZED), NAME(ESP_ERR_NVS_NOT_FOUND), NAME(ESP_ERR_NVS_NO_FREE_PAGES),
    NAME(ESP_ERR_NVS_NEW_VERSION_FOUND),
    NAME(ESP_ERR_ESP_NETIF_INVALID_PARAMS), NAME(ESP_ERR_ESP_NETIF_IF_NOT_READY),
    NAME(ESP_ERR_ESP_NETIF_DHCPC_START_FAILED), NAME(ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED),
    NAME(ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED), NAME(ESP_ERR_ESP_NETIF_NO_MEM),
    NAME(ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED), NAME(ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED),
    NAME(ESP_ERR_ESP_NETIF_INIT_FAILED), NAME(ESP_ERR_ESP_NETIF_DNS_NOT_CONFIGURED),
    NAME(ESP_ERR_HTTPD_HANDLERS_FULL), NAME(ESP_ERR_HTTPD_HANDLER_EXISTS), NAME(ESP_ERR_HTTPD_INVALID_REQ),
    NAME(ESP_ERR_HTTPD_RESULT_TRUNC), NAME(ESP_ERR_HTTPD_RESP_HDR), NAME(ESP_ERR_HTTPD_RESP_SEND),
    NAME(ESP_ERR_HTTPD_ALLOC_MEM), NAME(ESP_ERR_HTTPD_TASK),
#undef NAME
};

const char *esp_err_to_name(esp_err_t code)
{
    for (size_t i = 0; i < sizeof s_names / sizeof s_names[0]; i++) {
        if (s_names[i].code == code) {
            return s_names[i].name;
        }
    }
    return "UNKNOWN ERROR";
}

const char *esp_err_to_name_r(esp_err_t code, char *buf, size_t buflen)
{
    if (buf != NULL && buflen > 0) {
        snprintf(buf, buflen, "%s", esp_err_to_name(code));
    }
    return buf;
}

static void report(esp_err_t rc, const char *file, int line, const char *function, const char *expression,
                   const char *how)
{
    char text[768];
    int n = snprintf(text, sizeof text,
                     "ESP_ERROR_CHECK%s failed: esp_err_t 0x%x (%s)\nfile: \"%s\" line %d\nfunc: %s\nexpression: %s\n",
                     how, (unsigned)rc, esp_err_to_name(rc), file, line, function, expression);
    if (n > 0) {
        ssize_t ignored = write(STDERR_FILENO, text, n < (int)sizeof text ? (size_t)n : sizeof text - 1);
        (void)ignored;
    }
}

void _esp_error_check_failed(esp_err_t rc, const char *file, int line, const char *function, const char *expression)
{
    report(rc, file, line, function, expression, "");
    esp_idf_host_log_line(ESP_LOG_ERROR, HOST_TAG,
                          "the firmware aborted (an ESP32 would reset here); exiting the device");
    abort();
}

void _esp_error_check_failed_without_abort(esp_err_t rc, const char *file, int line, const char *function,
                                           const char *expression)
{
    report(rc, file, line, function, expression, "_WITHOUT_ABORT");
}

const char *esp_get_idf_version(void)
{
    return "v5.1.0-uart-tunnel-host";
}
