/* An application that serves HTTPS with esp_https_server, as ESP-IDF's https_server example starts it. */
#include "esp_https_server.h"

void app_main(void)
{
    httpd_ssl_config_t config = HTTPD_SSL_CONFIG_DEFAULT();
    httpd_handle_t server = NULL;
    httpd_ssl_start(&server, &config);
}
