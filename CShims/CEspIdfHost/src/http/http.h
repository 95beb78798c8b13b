/* The http layer's interface (esp_http_server on lwIP sockets). */
#ifndef HOST_HTTP_H
#define HOST_HTTP_H

#include "netif/netif.h"

/* Stops every running server (registered with the rtos layer as a shutdown hook). */
void host_httpd_stop_all(void);

#endif
