/*
 * nvs.h on the host, with the semantics of ESP-IDF v5.4's nvs_api.cpp, nvs_handle_simple.cpp and
 * nvs_storage.cpp: handles are numbers counting from 1 that deinit invalidates; a read-only handle needs an
 * existing namespace (ESP_ERR_NVS_NOT_FOUND) and refuses writes (ESP_ERR_NVS_READ_ONLY); keys and namespaces
 * have at most 15 characters (ESP_ERR_NVS_KEY_TOO_LONG, Page::writeItem); a set replaces the key whatever its
 * old type, a get of another type is ESP_ERR_NVS_NOT_FOUND; get_str/get_blob with a short buffer give
 * ESP_ERR_NVS_INVALID_LENGTH and the needed length; a value is on flash when nvs_set_* returns, so nvs_commit
 * only checks its handle (NVSHandleSimple::commit).
 */
#include "system/nvs_store.h"

#include <stdlib.h>
#include <string.h>

#include "nvs_flash.h"

typedef struct {
    nvs_handle_t id;
    char ns[NVS_NS_NAME_MAX_SIZE];
    bool read_only;
} handle_t;

static handle_t *s_handles;
static size_t s_handle_count;
static nvs_handle_t s_next_handle;   /* NVSHandleEntry::s_nvs_next_handle: never reused */

void host_nvs_close_all(void)
{
    free(s_handles);
    s_handles = NULL;
    s_handle_count = 0;
}

static handle_t *lookup(nvs_handle_t id)
{
    for (size_t i = 0; i < s_handle_count; i++) {
        if (s_handles[i].id == id) {
            return &s_handles[i];
        }
    }
    return NULL;
}

esp_err_t nvs_open_from_partition(const char *part_name, const char *namespace_name, nvs_open_mode_t open_mode,
                                  nvs_handle_t *out_handle)
{
    if (out_handle == NULL || namespace_name == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    esp_err_t err = ESP_OK;
    pthread_mutex_lock(&host_nvs_lock);
    if (!host_nvs_initialized) {
        err = ESP_ERR_NVS_NOT_INITIALIZED;
    } else if (part_name == NULL || strcmp(part_name, NVS_DEFAULT_PART_NAME) != 0) {
        err = ESP_ERR_NVS_PART_NOT_FOUND;
    } else if (strlen(namespace_name) >= NVS_NS_NAME_MAX_SIZE) {
        /* a read-only open looks the name up by its first 15 characters (createOrOpenNamespace) */
        err = open_mode == NVS_READWRITE ? ESP_ERR_NVS_KEY_TOO_LONG : ESP_ERR_NVS_NOT_FOUND;
    } else if (!host_nvs_has_namespace(&host_nvs_table, namespace_name)) {
        if (open_mode != NVS_READWRITE) {
            err = ESP_ERR_NVS_NOT_FOUND;
        } else if ((err = host_nvs_add_namespace(&host_nvs_table, namespace_name)) == ESP_OK) {
            err = host_nvs_persist();
        }
    }
    if (err == ESP_OK) {
        handle_t *grown = realloc(s_handles, (s_handle_count + 1) * sizeof *s_handles);
        if (grown == NULL) {
            err = ESP_ERR_NO_MEM;
        } else {
            s_handles = grown;
            handle_t *h = &s_handles[s_handle_count++];
            h->id = ++s_next_handle;
            strcpy(h->ns, namespace_name);
            h->read_only = open_mode != NVS_READWRITE;
            *out_handle = h->id;
        }
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_open(const char *namespace_name, nvs_open_mode_t open_mode, nvs_handle_t *out_handle)
{
    return nvs_open_from_partition(NVS_DEFAULT_PART_NAME, namespace_name, open_mode, out_handle);
}

void nvs_close(nvs_handle_t handle)
{
    pthread_mutex_lock(&host_nvs_lock);
    handle_t *h = lookup(handle);
    if (h != NULL) {
        *h = s_handles[--s_handle_count];
    }
    pthread_mutex_unlock(&host_nvs_lock);
}

/* A write through `handle` to `key` (NULL: the whole namespace); returns the handle's namespace in ns. */
static esp_err_t writable(nvs_handle_t handle, const char *key, char ns[NVS_NS_NAME_MAX_SIZE])
{
    handle_t *h = lookup(handle);
    if (h == NULL) {
        return ESP_ERR_NVS_INVALID_HANDLE;
    }
    if (h->read_only) {
        return ESP_ERR_NVS_READ_ONLY;
    }
    strcpy(ns, h->ns);
    return key != NULL && strlen(key) >= NVS_KEY_NAME_MAX_SIZE ? ESP_ERR_NVS_KEY_TOO_LONG : ESP_OK;
}

static esp_err_t set_value(nvs_handle_t handle, const char *key, nvs_type_t type, const void *data, size_t size)
{
    if (key == NULL || (data == NULL && size > 0)) {
        return ESP_ERR_INVALID_ARG;
    }
    char ns[NVS_NS_NAME_MAX_SIZE];
    pthread_mutex_lock(&host_nvs_lock);
    esp_err_t err = writable(handle, key, ns);
    if (err == ESP_OK && type == NVS_TYPE_STR && size > NVS_CHUNK_MAX) {
        err = ESP_ERR_NVS_VALUE_TOO_LONG;    /* Page::writeItem: one chunk */
    }
    if (err == ESP_OK && type == NVS_TYPE_BLOB && size > (NVS_PARTITION_PAGES - 1) * NVS_CHUNK_MAX) {
        err = ESP_ERR_NVS_VALUE_TOO_LONG;    /* Storage::writeMultiPageBlob: a chunk per page but one */
    }
    if (err == ESP_OK) {
        nvs_item_t *old = host_nvs_find(&host_nvs_table, ns, key);
        bool unchanged = old != NULL && old->type == type && old->size == size && memcmp(old->data, data, size) == 0;
        if (!unchanged) {   /* Storage::writeItem leaves an unchanged item alone (cmpItem) */
            err = host_nvs_put(&host_nvs_table, ns, key, type, data, size);
            if (err == ESP_OK) {
                err = host_nvs_persist();
            }
        }
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

/* Copies the item of (handle's namespace, key, type) into out (size bytes, NULL: none) and its size into *size. */
static esp_err_t get_value(nvs_handle_t handle, const char *key, nvs_type_t type, void *out, size_t *size,
                           bool exact)
{
    if (key == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    pthread_mutex_lock(&host_nvs_lock);
    handle_t *h = lookup(handle);
    esp_err_t err = h == NULL ? ESP_ERR_NVS_INVALID_HANDLE : ESP_OK;
    nvs_item_t *item = h != NULL ? host_nvs_find(&host_nvs_table, h->ns, key) : NULL;
    if (err == ESP_OK && (item == NULL || item->type != type)) {
        err = ESP_ERR_NVS_NOT_FOUND;
    }
    if (err == ESP_OK) {
        if (size == NULL) {
            err = ESP_ERR_NVS_INVALID_LENGTH;
        } else if (out == NULL && !exact) {
            *size = item->size;
        } else if (*size < item->size) {
            *size = item->size;
            err = ESP_ERR_NVS_INVALID_LENGTH;
        } else {
            *size = item->size;
            memcpy(out, item->data, item->size);
        }
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

#define INTEGER_API(name, ctype, nvs_type)                                                       \
    esp_err_t nvs_set_##name(nvs_handle_t handle, const char *key, ctype value)                  \
    {                                                                                            \
        uint8_t bytes[sizeof(ctype)];                                                            \
        for (size_t i = 0; i < sizeof bytes; i++) {                                              \
            bytes[i] = (uint8_t)((uint64_t)value >> (8 * i));                                    \
        }                                                                                        \
        return set_value(handle, key, nvs_type, bytes, sizeof bytes);                            \
    }                                                                                            \
    esp_err_t nvs_get_##name(nvs_handle_t handle, const char *key, ctype *out_value)             \
    {                                                                                            \
        uint8_t bytes[sizeof(ctype)];                                                            \
        size_t size = sizeof bytes;                                                              \
        if (out_value == NULL) {                                                                 \
            return ESP_ERR_INVALID_ARG;                                                          \
        }                                                                                        \
        esp_err_t err = get_value(handle, key, nvs_type, bytes, &size, true);                    \
        if (err == ESP_OK) {                                                                     \
            uint64_t bits = 0;                                                                   \
            for (size_t i = 0; i < sizeof bytes; i++) {                                          \
                bits |= (uint64_t)bytes[i] << (8 * i);                                           \
            }                                                                                    \
            *out_value = (ctype)bits;                                                            \
        }                                                                                        \
        return err;                                                                              \
    }

INTEGER_API(u8, uint8_t, NVS_TYPE_U8)
INTEGER_API(i8, int8_t, NVS_TYPE_I8)
INTEGER_API(u16, uint16_t, NVS_TYPE_U16)
INTEGER_API(i16, int16_t, NVS_TYPE_I16)
INTEGER_API(u32, uint32_t, NVS_TYPE_U32)
INTEGER_API(i32, int32_t, NVS_TYPE_I32)
INTEGER_API(u64, uint64_t, NVS_TYPE_U64)
INTEGER_API(i64, int64_t, NVS_TYPE_I64)

esp_err_t nvs_set_str(nvs_handle_t handle, const char *key, const char *value)
{
    return value == NULL ? ESP_ERR_INVALID_ARG : set_value(handle, key, NVS_TYPE_STR, value, strlen(value) + 1);
}

esp_err_t nvs_set_blob(nvs_handle_t handle, const char *key, const void *value, size_t length)
{
    return set_value(handle, key, NVS_TYPE_BLOB, value, length);
}

esp_err_t nvs_get_str(nvs_handle_t handle, const char *key, char *out_value, size_t *length)
{
    return get_value(handle, key, NVS_TYPE_STR, out_value, length, false);
}

esp_err_t nvs_get_blob(nvs_handle_t handle, const char *key, void *out_value, size_t *length)
{
    return get_value(handle, key, NVS_TYPE_BLOB, out_value, length, false);
}

esp_err_t nvs_find_key(nvs_handle_t handle, const char *key, nvs_type_t *out_type)
{
    pthread_mutex_lock(&host_nvs_lock);
    handle_t *h = lookup(handle);
    nvs_item_t *item = h != NULL && key != NULL ? host_nvs_find(&host_nvs_table, h->ns, key) : NULL;
    esp_err_t err = h == NULL ? ESP_ERR_NVS_INVALID_HANDLE : item == NULL ? ESP_ERR_NVS_NOT_FOUND : ESP_OK;
    if (item != NULL && out_type != NULL) {
        *out_type = item->type;
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_erase_key(nvs_handle_t handle, const char *key)
{
    char ns[NVS_NS_NAME_MAX_SIZE];
    pthread_mutex_lock(&host_nvs_lock);
    esp_err_t err = key == NULL ? ESP_ERR_INVALID_ARG : writable(handle, key, ns);
    if (err == ESP_OK) {
        nvs_item_t *item = host_nvs_find(&host_nvs_table, ns, key);
        if (item == NULL) {
            err = ESP_ERR_NVS_NOT_FOUND;
        } else {
            host_nvs_remove(&host_nvs_table, item);
            err = host_nvs_persist();
        }
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_erase_all(nvs_handle_t handle)
{
    char ns[NVS_NS_NAME_MAX_SIZE];
    pthread_mutex_lock(&host_nvs_lock);
    esp_err_t err = writable(handle, NULL, ns);
    if (err == ESP_OK) {
        for (size_t i = host_nvs_table.count; i > 0; i--) {
            if (strcmp(host_nvs_table.items[i - 1].ns, ns) == 0) {
                host_nvs_remove(&host_nvs_table, &host_nvs_table.items[i - 1]);
            }
        }
        err = host_nvs_persist();
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_commit(nvs_handle_t handle)
{
    pthread_mutex_lock(&host_nvs_lock);
    esp_err_t err = lookup(handle) != NULL ? ESP_OK : ESP_ERR_NVS_INVALID_HANDLE;
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_get_used_entry_count(nvs_handle_t handle, size_t *used_entries)
{
    if (used_entries == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *used_entries = 0;
    pthread_mutex_lock(&host_nvs_lock);
    handle_t *h = lookup(handle);
    for (size_t i = 0; h != NULL && i < host_nvs_table.count; i++) {
        if (strcmp(host_nvs_table.items[i].ns, h->ns) == 0) {
            *used_entries += host_nvs_item_entries(host_nvs_table.items[i].type, host_nvs_table.items[i].size);
        }
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return h != NULL ? ESP_OK : ESP_ERR_NVS_INVALID_HANDLE;
}

esp_err_t nvs_get_stats(const char *part_name, nvs_stats_t *nvs_stats)
{
    if (nvs_stats == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    memset(nvs_stats, 0, sizeof *nvs_stats);
    if (part_name != NULL && strcmp(part_name, NVS_DEFAULT_PART_NAME) != 0) {
        return ESP_ERR_NVS_NOT_INITIALIZED;
    }
    pthread_mutex_lock(&host_nvs_lock);
    esp_err_t err = host_nvs_initialized ? ESP_OK : ESP_ERR_NVS_NOT_INITIALIZED;
    if (err == ESP_OK) {
        nvs_stats->used_entries = host_nvs_used_entries(&host_nvs_table);
        nvs_stats->total_entries = NVS_PARTITION_PAGES * NVS_PAGE_ENTRIES;
        nvs_stats->free_entries = nvs_stats->total_entries - nvs_stats->used_entries;
        nvs_stats->available_entries = nvs_stats->free_entries - NVS_PAGE_ENTRIES;  /* the page kept for GC */
        nvs_stats->namespace_count = host_nvs_table.namespace_count;
    }
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

/* MARK: - Iterators (a snapshot of the matching entries, as nvs_entry_find returns them one by one) */

struct nvs_opaque_iterator_t {
    nvs_entry_info_t *entries;
    size_t count;
    size_t position;
};

static esp_err_t find_entries(const char *ns, nvs_type_t type, nvs_iterator_t *output_iterator)
{
    struct nvs_opaque_iterator_t *it = calloc(1, sizeof *it);
    if (it == NULL) {
        return ESP_ERR_NO_MEM;
    }
    it->entries = calloc(host_nvs_table.count + 1, sizeof *it->entries);
    for (size_t i = 0; it->entries != NULL && i < host_nvs_table.count; i++) {
        const nvs_item_t *item = &host_nvs_table.items[i];
        if ((ns == NULL || strcmp(item->ns, ns) == 0) && (type == NVS_TYPE_ANY || type == item->type)) {
            nvs_entry_info_t *info = &it->entries[it->count++];
            strcpy(info->namespace_name, item->ns);
            strcpy(info->key, item->key);
            info->type = item->type;
        }
    }
    if (it->entries == NULL || it->count == 0) {
        esp_err_t err = it->entries == NULL ? ESP_ERR_NO_MEM : ESP_ERR_NVS_NOT_FOUND;
        nvs_release_iterator(it);
        return err;
    }
    *output_iterator = it;
    return ESP_OK;
}

esp_err_t nvs_entry_find(const char *part_name, const char *namespace_name, nvs_type_t type,
                         nvs_iterator_t *output_iterator)
{
    if (part_name == NULL || output_iterator == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *output_iterator = NULL;
    pthread_mutex_lock(&host_nvs_lock);
    esp_err_t err = !host_nvs_initialized || strcmp(part_name, NVS_DEFAULT_PART_NAME) != 0
        ? ESP_ERR_NVS_NOT_FOUND : find_entries(namespace_name, type, output_iterator);
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_entry_find_in_handle(nvs_handle_t handle, nvs_type_t type, nvs_iterator_t *output_iterator)
{
    if (output_iterator == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *output_iterator = NULL;
    pthread_mutex_lock(&host_nvs_lock);
    handle_t *h = lookup(handle);
    esp_err_t err = h == NULL ? ESP_ERR_NVS_INVALID_HANDLE : find_entries(h->ns, type, output_iterator);
    pthread_mutex_unlock(&host_nvs_lock);
    return err;
}

esp_err_t nvs_entry_next(nvs_iterator_t *iterator)
{
    if (iterator == NULL || *iterator == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    if (++(*iterator)->position < (*iterator)->count) {
        return ESP_OK;
    }
    nvs_release_iterator(*iterator);   /* the end: released and NULL, as nvs_entry_next does */
    *iterator = NULL;
    return ESP_ERR_NVS_NOT_FOUND;
}

esp_err_t nvs_entry_info(const nvs_iterator_t iterator, nvs_entry_info_t *out_info)
{
    if (iterator == NULL || out_info == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    *out_info = iterator->entries[iterator->position];
    return ESP_OK;
}

void nvs_release_iterator(nvs_iterator_t iterator)
{
    if (iterator != NULL) {
        free(iterator->entries);
        free(iterator);
    }
}
