/*
 * Named defects: problems a driver showed while running.  Each is counted by
 * name (CEspIdfHost_defect → DriverCounters.defects → /api/status) and logged as
 * an ESP_LOGW line on the tag "esp_idf_host": in full the first time, then one
 * short line at 10, 100, 1000, … so a defect on every frame cannot flood the log.
 */
#include "base/base.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CEspIdfHost.h"
#include "esp_log.h"

#define MAX_DEFECTS 32

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char name[48];
    uint64_t count;
} s_defects[MAX_DEFECTS];
static int s_count;

static uint64_t count_defect(const char *name)
{
    uint64_t count = 0;
    pthread_mutex_lock(&s_lock);
    int i = 0;
    while (i < s_count && strcmp(s_defects[i].name, name) != 0) {
        i++;
    }
    if (i == s_count && s_count < MAX_DEFECTS) {
        snprintf(s_defects[i].name, sizeof s_defects[i].name, "%s", name);
        s_count++;
    }
    if (i < MAX_DEFECTS) {
        count = ++s_defects[i].count;
    }
    pthread_mutex_unlock(&s_lock);
    return count;
}

static bool is_power_of_ten(uint64_t n)
{
    while (n >= 10 && n % 10 == 0) {
        n /= 10;
    }
    return n == 1;
}

void host_defect(const char *name, const char *format, ...)
{
    uint64_t count = count_defect(name);
    if (count == 1) {
        char detail[512];
        va_list args;
        va_start(args, format);
        vsnprintf(detail, sizeof detail, format, args);
        va_end(args);
        host_log_line(ESP_LOG_WARN, HOST_TAG, "DEFECT %s: %s", name, detail);
    } else if (is_power_of_ten(count)) {
        host_log_line(ESP_LOG_WARN, HOST_TAG, "DEFECT %s: seen %llu times", name,
                              (unsigned long long)count);
    }
}

static void fatal_line(const char *name, const char *format, va_list args)
{
    (void)count_defect(name);
    char detail[768];
    vsnprintf(detail, sizeof detail, format, args);
    host_log_line(ESP_LOG_ERROR, HOST_TAG, "FATAL %s: %s", name, detail);
}

void host_fatal_note(const char *name, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fatal_line(name, format, args);
    va_end(args);
}

void host_firmware_abort(const char *how)
{
    host_log_line(ESP_LOG_ERROR, HOST_TAG, "the firmware %s (an ESP32 would panic and reset here); ending the device",
                  how);
    fflush(NULL);
    host_remove_firmware_file();  /* abort skips the exit handlers that would remove it */
    /* The default action, not the Swift runtime's crash report: the firmware's own report above is the diagnosis,
     * and a dump of the toolkit's threads would bury it. */
    signal(SIGABRT, SIG_DFL);
    abort();
}

void host_fatal(const char *name, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fatal_line(name, format, args);
    va_end(args);
    host_firmware_abort("crashed");
}

int CEspIdfHost_defectCount(void)
{
    pthread_mutex_lock(&s_lock);
    int count = s_count;
    pthread_mutex_unlock(&s_lock);
    return count;
}

uint64_t CEspIdfHost_defect(int index, char *name, size_t name_size)
{
    uint64_t count = 0;
    pthread_mutex_lock(&s_lock);
    if (index >= 0 && index < s_count) {
        if (name != NULL && name_size > 0) {
            snprintf(name, name_size, "%s", s_defects[index].name);
        }
        count = s_defects[index].count;
    }
    pthread_mutex_unlock(&s_lock);
    return count;
}
