/* Names for esp_wifi's disconnect reasons (wifi_err_reason_t), for log lines and the status page. */
#ifndef WIFI_REASON_H
#define WIFI_REASON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** "BEACON_TIMEOUT" for 200 …; "UNKNOWN" for codes not in the table. */
const char *wifi_reason_name(uint8_t reason);

#ifdef __cplusplus
}
#endif

#endif /* WIFI_REASON_H */
