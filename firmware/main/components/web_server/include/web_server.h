/*
 * Small status web server on port 80:
 *   GET /            HTML page with the tunnel counters
 *   GET /api/status  the same as JSON
 */
#ifndef WEB_SERVER_H
#define WEB_SERVER_H

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Start the server (idempotent). Needs the network up. */
esp_err_t web_server_start(void);

/** Stop the server if it runs. */
void web_server_stop(void);

#ifdef __cplusplus
}
#endif

#endif /* WEB_SERVER_H */
