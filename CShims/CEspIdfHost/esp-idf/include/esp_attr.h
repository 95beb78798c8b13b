/*
 * esp_attr.h on the host: ESP-IDF v5.4's placement attributes
 * (components/esp_common/include/esp_attr.h).  As on ESP-IDF's own Linux target
 * (CONFIG_IDF_TARGET_LINUX), the section attributes (IRAM, DRAM, RTC, …) are empty:
 * the host has one memory.  The others keep their meaning.
 */
#ifndef ESP_IDF_HOST_ESP_ATTR_H
#define ESP_IDF_HOST_ESP_ATTR_H

#include "sdkconfig.h"

#define ROMFN_ATTR
#define IRAM_ATTR
#define DRAM_ATTR
#define TCM_IRAM_ATTR
#define TCM_DRAM_ATTR
#define IRAM_DATA_ATTR
#define IRAM_BSS_ATTR
#define COREDUMP_IRAM_DATA_ATTR
#define COREDUMP_DRAM_ATTR
#define WORD_ALIGNED_ATTR __attribute__((aligned(4)))
#define DMA_ATTR WORD_ALIGNED_ATTR DRAM_ATTR
#define DRAM_DMA_ALIGNED_ATTR WORD_ALIGNED_ATTR DRAM_ATTR
#define PACKED_ATTR __attribute__((packed))
#define FORCE_INLINE_ATTR static inline __attribute__((always_inline))
#define NOINLINE_ATTR __attribute__((noinline))
#define DRAM_STR(str) (__extension__({ static const DRAM_ATTR char __c[] = (str); (const char *)&__c; }))
#define RTC_DATA_ATTR
#define RTC_NOINIT_ATTR
#define RTC_RODATA_ATTR
#define COREDUMP_RTC_DATA_ATTR
#define RTC_SLOW_ATTR
#define RTC_IRAM_ATTR
#define RTC_FAST_ATTR
#define COREDUMP_RTC_FAST_ATTR
#define EXT_RAM_BSS_ATTR
#define EXT_RAM_NOINIT_ATTR
#define __NOINIT_ATTR
#define FLAG_ATTR(TYPE)
#define IDF_DEPRECATED(REASON)

#endif
