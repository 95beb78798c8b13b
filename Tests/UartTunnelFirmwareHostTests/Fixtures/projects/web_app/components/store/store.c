#include "store.h"

#include "nvs.h"
#include "sdkconfig.h"

esp_err_t store_get_name(char *out, size_t size)
{
    nvs_handle_t handle;
    esp_err_t err = nvs_open(CONFIG_STORE_NAMESPACE, NVS_READONLY, &handle);
    if (err != ESP_OK) {
        return err;
    }
    size_t length = size;
    err = nvs_get_str(handle, "name", out, &length);
    nvs_close(handle);
    return err;
}

esp_err_t store_set_name(const char *name)
{
    nvs_handle_t handle;
    esp_err_t err = nvs_open(CONFIG_STORE_NAMESPACE, NVS_READWRITE, &handle);
    if (err != ESP_OK) {
        return err;
    }
    err = nvs_set_str(handle, "name", name);
    if (err == ESP_OK) {
        err = nvs_commit(handle);
    }
    nvs_close(handle);
    return err;
}
