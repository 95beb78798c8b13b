/*
 * esp_https_server.h on the host: not provided yet.  ESP-IDF v5.4's esp_https_server wraps esp_http_server's
 * socket I/O in TLS (esp-tls over mbedTLS); the host's esp_http_server has no transport hooks for it, so a
 * firmware that includes this header stops here, by name, instead of failing later on an undefined symbol.
 * Serve plain HTTP (esp_http_server.h) on the host, or keep the HTTPS part out of the host build with
 * #ifndef ESP_IDF_HOST.
 */
#ifndef ESP_IDF_HOST_ESP_HTTPS_SERVER_H
#define ESP_IDF_HOST_ESP_HTTPS_SERVER_H

#error "esp_https_server is not provided by the uart-tunnel ESP-IDF host layer yet (TLS over its esp_http_server); use esp_http_server.h, or guard the HTTPS code with #ifndef ESP_IDF_HOST"

#endif
