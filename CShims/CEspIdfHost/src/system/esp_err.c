/*
 * esp_err_to_name and ESP_ERROR_CHECK's failure report, as ESP-IDF v5.4 words
 * them (components/esp_common/src/esp_err_to_name.c, components/esp_system/esp_err.c),
 * so a host log reads like a serial console.  An ESP32 would reset after the
 * report (abort → panic → reboot); the host process aborts instead.
 */
#include "system/system.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "esp_err.h"
#include "esp_log.h"

/* ESP-IDF's generated table, for the components the host layer has (generic, NVS, esp_netif, httpd, esp-tls) and the
 * bases drivers print.  Values rather than macros: some codes (esp_netif's 0x500b…) are not in the host's
 * headers, and their names must still read as on the chip. */
static const struct {
    esp_err_t code;
    const char *name;
} s_names[] = {
    { -1, "ESP_FAIL" }, { 0, "ESP_OK" },
    { 0x101, "ESP_ERR_NO_MEM" }, { 0x102, "ESP_ERR_INVALID_ARG" }, { 0x103, "ESP_ERR_INVALID_STATE" },
    { 0x104, "ESP_ERR_INVALID_SIZE" }, { 0x105, "ESP_ERR_NOT_FOUND" }, { 0x106, "ESP_ERR_NOT_SUPPORTED" },
    { 0x107, "ESP_ERR_TIMEOUT" }, { 0x108, "ESP_ERR_INVALID_RESPONSE" }, { 0x109, "ESP_ERR_INVALID_CRC" },
    { 0x10a, "ESP_ERR_INVALID_VERSION" }, { 0x10b, "ESP_ERR_INVALID_MAC" }, { 0x10c, "ESP_ERR_NOT_FINISHED" },
    { 0x10d, "ESP_ERR_NOT_ALLOWED" },
    { 0x1100, "ESP_ERR_NVS_BASE" }, { 0x1101, "ESP_ERR_NVS_NOT_INITIALIZED" }, { 0x1102, "ESP_ERR_NVS_NOT_FOUND" },
    { 0x1103, "ESP_ERR_NVS_TYPE_MISMATCH" }, { 0x1104, "ESP_ERR_NVS_READ_ONLY" },
    { 0x1105, "ESP_ERR_NVS_NOT_ENOUGH_SPACE" }, { 0x1106, "ESP_ERR_NVS_INVALID_NAME" },
    { 0x1107, "ESP_ERR_NVS_INVALID_HANDLE" }, { 0x1108, "ESP_ERR_NVS_REMOVE_FAILED" },
    { 0x1109, "ESP_ERR_NVS_KEY_TOO_LONG" }, { 0x110a, "ESP_ERR_NVS_PAGE_FULL" },
    { 0x110b, "ESP_ERR_NVS_INVALID_STATE" }, { 0x110c, "ESP_ERR_NVS_INVALID_LENGTH" },
    { 0x110d, "ESP_ERR_NVS_NO_FREE_PAGES" }, { 0x110e, "ESP_ERR_NVS_VALUE_TOO_LONG" },
    { 0x110f, "ESP_ERR_NVS_PART_NOT_FOUND" }, { 0x1110, "ESP_ERR_NVS_NEW_VERSION_FOUND" },
    { 0x3000, "ESP_ERR_WIFI_BASE" }, { 0x3001, "ESP_ERR_WIFI_NOT_INIT" }, { 0x3002, "ESP_ERR_WIFI_NOT_STARTED" },
    { 0x3003, "ESP_ERR_WIFI_NOT_STOPPED" }, { 0x3004, "ESP_ERR_WIFI_IF" }, { 0x3005, "ESP_ERR_WIFI_MODE" },
    { 0x3006, "ESP_ERR_WIFI_STATE" }, { 0x3007, "ESP_ERR_WIFI_CONN" }, { 0x3008, "ESP_ERR_WIFI_NVS" },
    { 0x3009, "ESP_ERR_WIFI_MAC" }, { 0x300a, "ESP_ERR_WIFI_SSID" }, { 0x300b, "ESP_ERR_WIFI_PASSWORD" },
    { 0x300c, "ESP_ERR_WIFI_TIMEOUT" }, { 0x300d, "ESP_ERR_WIFI_WAKE_FAIL" }, { 0x300e, "ESP_ERR_WIFI_WOULD_BLOCK" },
    { 0x300f, "ESP_ERR_WIFI_NOT_CONNECT" }, { 0x3012, "ESP_ERR_WIFI_POST" }, { 0x3013, "ESP_ERR_WIFI_INIT_STATE" },
    { 0x3014, "ESP_ERR_WIFI_STOP_STATE" }, { 0x3015, "ESP_ERR_WIFI_NOT_ASSOC" }, { 0x3016, "ESP_ERR_WIFI_TX_DISALLOW" },
    { 0x4000, "ESP_ERR_MESH_BASE" },
    { 0x5000, "ESP_ERR_ESP_NETIF_BASE" }, { 0x5001, "ESP_ERR_ESP_NETIF_INVALID_PARAMS" },
    { 0x5002, "ESP_ERR_ESP_NETIF_IF_NOT_READY" }, { 0x5003, "ESP_ERR_ESP_NETIF_DHCPC_START_FAILED" },
    { 0x5004, "ESP_ERR_ESP_NETIF_DHCP_ALREADY_STARTED" }, { 0x5005, "ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED" },
    { 0x5006, "ESP_ERR_ESP_NETIF_NO_MEM" }, { 0x5007, "ESP_ERR_ESP_NETIF_DHCP_NOT_STOPPED" },
    { 0x5008, "ESP_ERR_ESP_NETIF_DRIVER_ATTACH_FAILED" }, { 0x5009, "ESP_ERR_ESP_NETIF_INIT_FAILED" },
    { 0x500a, "ESP_ERR_ESP_NETIF_DNS_NOT_CONFIGURED" }, { 0x500b, "ESP_ERR_ESP_NETIF_MLD6_FAILED" },
    { 0x500c, "ESP_ERR_ESP_NETIF_IP6_ADDR_FAILED" }, { 0x500d, "ESP_ERR_ESP_NETIF_DHCPS_START_FAILED" },
    { 0x500e, "ESP_ERR_ESP_NETIF_TX_FAILED" },
    { 0x6000, "ESP_ERR_FLASH_BASE" },
    /* esp-tls (compiled into firmware that uses esp_https_server, named here as the chip's table names them) */
    { 0x8000, "ESP_ERR_ESP_TLS_BASE" }, { 0x8001, "ESP_ERR_ESP_TLS_CANNOT_RESOLVE_HOSTNAME" },
    { 0x8002, "ESP_ERR_ESP_TLS_CANNOT_CREATE_SOCKET" }, { 0x8003, "ESP_ERR_ESP_TLS_UNSUPPORTED_PROTOCOL_FAMILY" },
    { 0x8004, "ESP_ERR_ESP_TLS_FAILED_CONNECT_TO_HOST" }, { 0x8005, "ESP_ERR_ESP_TLS_SOCKET_SETOPT_FAILED" },
    { 0x8006, "ESP_ERR_ESP_TLS_CONNECTION_TIMEOUT" }, { 0x8007, "ESP_ERR_ESP_TLS_SE_FAILED" },
    { 0x8008, "ESP_ERR_ESP_TLS_TCP_CLOSED_FIN" }, { 0x8010, "ESP_ERR_MBEDTLS_CERT_PARTLY_OK" },
    { 0x8011, "ESP_ERR_MBEDTLS_CTR_DRBG_SEED_FAILED" }, { 0x8012, "ESP_ERR_MBEDTLS_SSL_SET_HOSTNAME_FAILED" },
    { 0x8013, "ESP_ERR_MBEDTLS_SSL_CONFIG_DEFAULTS_FAILED" }, { 0x8014, "ESP_ERR_MBEDTLS_SSL_CONF_ALPN_PROTOCOLS_FAILED" },
    { 0x8015, "ESP_ERR_MBEDTLS_X509_CRT_PARSE_FAILED" }, { 0x8016, "ESP_ERR_MBEDTLS_SSL_CONF_OWN_CERT_FAILED" },
    { 0x8017, "ESP_ERR_MBEDTLS_SSL_SETUP_FAILED" }, { 0x8018, "ESP_ERR_MBEDTLS_SSL_WRITE_FAILED" },
    { 0x8019, "ESP_ERR_MBEDTLS_PK_PARSE_KEY_FAILED" }, { 0x801a, "ESP_ERR_MBEDTLS_SSL_HANDSHAKE_FAILED" },
    { 0x801b, "ESP_ERR_MBEDTLS_SSL_CONF_PSK_FAILED" }, { 0x801c, "ESP_ERR_MBEDTLS_SSL_TICKET_SETUP_FAILED" },
    { 0xb000, "ESP_ERR_HTTPD_BASE" }, { 0xb001, "ESP_ERR_HTTPD_HANDLERS_FULL" },
    { 0xb002, "ESP_ERR_HTTPD_HANDLER_EXISTS" }, { 0xb003, "ESP_ERR_HTTPD_INVALID_REQ" },
    { 0xb004, "ESP_ERR_HTTPD_RESULT_TRUNC" }, { 0xb005, "ESP_ERR_HTTPD_RESP_HDR" },
    { 0xb006, "ESP_ERR_HTTPD_RESP_SEND" }, { 0xb007, "ESP_ERR_HTTPD_ALLOC_MEM" }, { 0xb008, "ESP_ERR_HTTPD_TASK" },
    { 0xc000, "ESP_ERR_HW_CRYPTO_BASE" }, { 0xd000, "ESP_ERR_MEMPROT_BASE" },
};

static const char s_unknown[] = "UNKNOWN ERROR";

static const char *lookup(esp_err_t code)
{
    for (size_t i = 0; i < sizeof s_names / sizeof s_names[0]; i++) {
        if (s_names[i].code == code) {
            return s_names[i].name;
        }
    }
    return NULL;
}

const char *esp_err_to_name(esp_err_t code)
{
    const char *name = lookup(code);
    return name != NULL ? name : s_unknown;
}

/* ESP-IDF's esp_err_to_name_r: the table, else the C library's errno text, else "UNKNOWN ERROR 0x%x(%d)".
 * newlib's strerror_r fails for a number it does not know; glibc's says "Unknown error N", treated the same. */
const char *esp_err_to_name_r(esp_err_t code, char *buf, size_t buflen)
{
    if (buf == NULL || buflen == 0) {
        return buf;
    }
    const char *name = lookup(code);
    if (name != NULL) {
        snprintf(buf, buflen, "%s", name);
        return buf;
    }
    char text[128];
    const char *message = code > 0 ? strerror_r(code, text, sizeof text) : NULL;
    if (message != NULL && strncmp(message, "Unknown error", 13) != 0) {
        snprintf(buf, buflen, "%s", message);
    } else {
        snprintf(buf, buflen, "%s 0x%x(%d)", s_unknown, (unsigned)code, code);
    }
    return buf;
}

/* esp_error_check_failed_print: "<macro> failed: esp_err_t 0x%x (NAME) at 0x<caller>" and the file, line,
 * function and expression lines, as esp_rom_printf prints them on the console. */
static void report(const char *macro, esp_err_t rc, const char *file, int line, const char *function,
                   const char *expression, void *caller)
{
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "%s failed: esp_err_t 0x%x (%s) at 0x%08" PRIxPTR "\n"
                     "file: \"%s\" line %d\nfunc: %s\nexpression: %s\n",
                     macro, (unsigned)rc, esp_err_to_name(rc), (uintptr_t)caller, file, line, function, expression);
    if (n > 0) {
        ssize_t ignored = write(STDERR_FILENO, text, n < (int)sizeof text ? (size_t)n : sizeof text - 1);
        (void)ignored;
    }
}

void _esp_error_check_failed(esp_err_t rc, const char *file, int line, const char *function, const char *expression)
{
    fflush(NULL);   /* the firmware's printf output first, as the UART would have shown it */
    report("ESP_ERROR_CHECK", rc, file, line, function, expression, __builtin_return_address(0));
    host_firmware_abort("aborted");
}

void _esp_error_check_failed_without_abort(esp_err_t rc, const char *file, int line, const char *function,
                                           const char *expression)
{
    report("ESP_ERROR_CHECK_WITHOUT_ABORT", rc, file, line, function, expression, __builtin_return_address(0));
}
