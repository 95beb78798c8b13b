/* The system layer (esp_err, esp_event, nvs, esp_mac, esp_system): nothing of its own for the layers above yet. */
#ifndef HOST_SYSTEM_H
#define HOST_SYSTEM_H

#include "rtos/rtos.h"

#endif
