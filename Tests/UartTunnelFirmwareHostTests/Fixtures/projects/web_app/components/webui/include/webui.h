#pragma once
#include "esp_err.h"

/* Starts the HTTP server on port 80. */
esp_err_t webui_start(const char *greeting);
