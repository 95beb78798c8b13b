/*
 * A shadow of Debian's lwipopts.h for firmware compiled against the host layer.
 *
 * ESP-IDF v5.4's lwipopts.h (components/lwip/port/include/lwipopts.h), which every
 * lwIP header reaches through lwip/opt.h, includes these standard headers, and real
 * drivers rely on that (memcpy/malloc after including only lwIP or esp_netif
 * headers).  This file brings the same ones, then hands over to Debian's own
 * lwipopts.h, which alone sets lwIP's options: they decide struct layouts that
 * must match the liblwip in the process, so nothing here may define an option.
 *
 * The firmware compiler passes -I esp-idf/include before /usr/include/lwip, so this
 * file is found first; the host layer's own Swift build searches /usr/include/lwip
 * first and never sees it.
 */
#ifndef ESP_IDF_HOST_LWIPOPTS_H
#define ESP_IDF_HOST_LWIPOPTS_H

#include "sdkconfig.h"
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/fcntl.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/poll.h>

#endif

#include_next <lwipopts.h>
