/*
 * The reason codes a station meets most, named as ESP-IDF v5.4's wifi_err_reason_t
 * (components/esp_wifi/include/esp_wifi_types_generic.h) names them, without the
 * WIFI_REASON_ prefix.  esp_wifi has no function for this.
 */
#include "sdkconfig.h"
#if CONFIG_WIFI_MANAGER

#include "wifi_reason.h"

#include <stddef.h>

#include "esp_wifi_types.h"

const char *wifi_reason_name(uint8_t reason)
{
    static const struct {
        uint8_t code;
        const char *name;
    } names[] = {
        { WIFI_REASON_UNSPECIFIED, "UNSPECIFIED" },
        { WIFI_REASON_AUTH_EXPIRE, "AUTH_EXPIRE" },
        { WIFI_REASON_AUTH_LEAVE, "AUTH_LEAVE" },
        { WIFI_REASON_ASSOC_EXPIRE, "ASSOC_EXPIRE" },
        { WIFI_REASON_ASSOC_TOOMANY, "ASSOC_TOOMANY" },
        { WIFI_REASON_NOT_AUTHED, "NOT_AUTHED" },
        { WIFI_REASON_NOT_ASSOCED, "NOT_ASSOCED" },
        { WIFI_REASON_ASSOC_LEAVE, "ASSOC_LEAVE" },
        { WIFI_REASON_MIC_FAILURE, "MIC_FAILURE" },
        { WIFI_REASON_4WAY_HANDSHAKE_TIMEOUT, "4WAY_HANDSHAKE_TIMEOUT" },
        { WIFI_REASON_GROUP_KEY_UPDATE_TIMEOUT, "GROUP_KEY_UPDATE_TIMEOUT" },
        { WIFI_REASON_802_1X_AUTH_FAILED, "802_1X_AUTH_FAILED" },
        { WIFI_REASON_TIMEOUT, "TIMEOUT" },
        { WIFI_REASON_BEACON_TIMEOUT, "BEACON_TIMEOUT" },
        { WIFI_REASON_NO_AP_FOUND, "NO_AP_FOUND" },
        { WIFI_REASON_AUTH_FAIL, "AUTH_FAIL" },
        { WIFI_REASON_ASSOC_FAIL, "ASSOC_FAIL" },
        { WIFI_REASON_HANDSHAKE_TIMEOUT, "HANDSHAKE_TIMEOUT" },
        { WIFI_REASON_CONNECTION_FAIL, "CONNECTION_FAIL" },
        { WIFI_REASON_AP_TSF_RESET, "AP_TSF_RESET" },
        { WIFI_REASON_ROAMING, "ROAMING" },
        { WIFI_REASON_SA_QUERY_TIMEOUT, "SA_QUERY_TIMEOUT" },
        { WIFI_REASON_NO_AP_FOUND_W_COMPATIBLE_SECURITY, "NO_AP_FOUND_W_COMPATIBLE_SECURITY" },
        { WIFI_REASON_NO_AP_FOUND_IN_AUTHMODE_THRESHOLD, "NO_AP_FOUND_IN_AUTHMODE_THRESHOLD" },
        { WIFI_REASON_NO_AP_FOUND_IN_RSSI_THRESHOLD, "NO_AP_FOUND_IN_RSSI_THRESHOLD" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].code == reason) {
            return names[i].name;
        }
    }
    return "UNKNOWN";
}

#endif /* CONFIG_WIFI_MANAGER */
