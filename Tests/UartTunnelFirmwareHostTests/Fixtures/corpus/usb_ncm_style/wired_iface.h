/* The wired interface of this application: a static esp_netif over uart_net. */
#pragma once

#include "esp_err.h"
#include "esp_netif.h"

esp_err_t wired_netif_init(void);
esp_netif_t *wired_netif(void);
