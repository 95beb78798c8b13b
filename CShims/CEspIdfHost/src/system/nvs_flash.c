/*
 * nvs_flash on the host: the "nvs" partition is a text file (nvs_file.c) that outlives esp_restart, and with
 * `--nvs FILE` the device process too.  As in ESP-IDF v5.4's nvs_api.cpp: nvs_flash_init_partition opens it
 * (again: ESP_OK), nvs_flash_deinit_partition closes every handle on it, nvs_flash_erase_partition closes them
 * too and erases it, and a partition other than "nvs" is not in the (default) partition table.
 */
#include "system/nvs_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_log.h"
#include "nvs_flash.h"

static const char *TAG = "nvs";

pthread_mutex_t host_nvs_lock = PTHREAD_MUTEX_INITIALIZER;
nvs_table_t host_nvs_table;
bool host_nvs_initialized;

static int s_fd = -1;
static char *s_path;

void host_nvs_set_backing(int fd, const char *path)
{
    pthread_mutex_lock(&host_nvs_lock);
    s_fd = fd;
    free(s_path);
    s_path = path != NULL ? strdup(path) : NULL;
    pthread_mutex_unlock(&host_nvs_lock);
}

/* Called with host_nvs_lock held after every change: flash is written when nvs_set_* returns, not at commit. */
esp_err_t host_nvs_persist(void)
{
    if (s_fd < 0 && s_path == NULL) {
        return ESP_OK;
    }
    return host_nvs_file_write(s_fd, s_path, &host_nvs_table);
}

static bool is_default_partition(const char *name)
{
    return name != NULL && strcmp(name, NVS_DEFAULT_PART_NAME) == 0;
}

esp_err_t nvs_flash_init_partition(const char *partition_label)
{
    if (!is_default_partition(partition_label)) {
        return ESP_ERR_NOT_FOUND;   /* NVSPartitionManager::init_partition: no such partition */
    }
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&host_nvs_lock);
    if (!host_nvs_initialized) {
        char error[512] = "";
        if (s_fd >= 0 || s_path != NULL) {
            err = host_nvs_file_read(s_fd, s_path != NULL ? s_path : "nvs", &host_nvs_table, error, sizeof error);
        }
        if (err == ESP_OK) {
            host_nvs_initialized = true;
        } else {
            host_nvs_clear(&host_nvs_table);
            /* what a chip answers for a partition it cannot read; firmware then usually erases it and retries */
            host_log_line(ESP_LOG_ERROR, TAG, "cannot read the NVS partition: %s (nvs_flash_init returns "
                          "ESP_ERR_NVS_NO_FREE_PAGES)", error);
            err = ESP_ERR_NVS_NO_FREE_PAGES;
        }
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_flash_init(void)
{
    return nvs_flash_init_partition(NVS_DEFAULT_PART_NAME);
}

esp_err_t nvs_flash_deinit_partition(const char *partition_label)
{
    esp_err_t err = ESP_ERR_NVS_NOT_INITIALIZED;
    pthread_mutex_lock(&host_nvs_lock);
    if (is_default_partition(partition_label) && host_nvs_initialized) {
        host_nvs_close_all();
        host_nvs_clear(&host_nvs_table);
        host_nvs_initialized = false;
        err = ESP_OK;
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_flash_deinit(void)
{
    return nvs_flash_deinit_partition(NVS_DEFAULT_PART_NAME);
}

esp_err_t nvs_flash_erase_partition(const char *part_name)
{
    if (!is_default_partition(part_name)) {
        return ESP_ERR_NOT_FOUND;
    }
    pthread_mutex_lock(&host_nvs_lock);
    host_nvs_close_all();
    host_nvs_clear(&host_nvs_table);
    host_nvs_initialized = false;
    esp_err_t err = host_nvs_persist();
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_flash_erase(void)
{
    return nvs_flash_erase_partition(NVS_DEFAULT_PART_NAME);
}
