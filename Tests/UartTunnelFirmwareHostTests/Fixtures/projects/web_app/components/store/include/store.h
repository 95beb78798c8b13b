#pragma once
#include <stddef.h>
#include "esp_err.h"
#include "nvs.h" /* ESP_ERR_NVS_NOT_FOUND */

/* The saved name: ESP_ERR_NVS_NOT_FOUND until one was saved. */
esp_err_t store_get_name(char *out, size_t size);
/* Saves and commits the name. */
esp_err_t store_set_name(const char *name);
