/* The entries of the host's NVS partition in memory, and what they would occupy on flash. */
#include "system/nvs_store.h"

#include <stdlib.h>
#include <string.h>

bool host_nvs_is_integer(nvs_type_t type)
{
    return type != NVS_TYPE_STR && type != NVS_TYPE_BLOB;
}

nvs_item_t *host_nvs_find(nvs_table_t *table, const char *ns, const char *key)
{
    for (size_t i = 0; i < table->count; i++) {
        if (strcmp(table->items[i].ns, ns) == 0 && strcmp(table->items[i].key, key) == 0) {
            return &table->items[i];
        }
    }
    return NULL;
}

bool host_nvs_has_namespace(const nvs_table_t *table, const char *ns)
{
    for (size_t i = 0; i < table->namespace_count; i++) {
        if (strcmp(table->namespaces[i], ns) == 0) {
            return true;
        }
    }
    return false;
}

esp_err_t host_nvs_add_namespace(nvs_table_t *table, const char *ns)
{
    if (host_nvs_has_namespace(table, ns)) {
        return ESP_OK;
    }
    if (strlen(ns) >= NVS_NS_NAME_MAX_SIZE) {
        return ESP_ERR_NVS_KEY_TOO_LONG;   /* the namespace is itself an item keyed by its name */
    }
    if (table->namespace_count >= 254) {
        return ESP_ERR_NVS_NOT_ENOUGH_SPACE;  /* createOrOpenNamespace: indices 1…254 */
    }
    void *grown = realloc(table->namespaces, (table->namespace_count + 1) * sizeof table->namespaces[0]);
    if (grown == NULL) {
        return ESP_ERR_NO_MEM;
    }
    table->namespaces = grown;
    strcpy(table->namespaces[table->namespace_count++], ns);
    return ESP_OK;
}

size_t host_nvs_item_entries(nvs_type_t type, size_t size)
{
    if (host_nvs_is_integer(type)) {
        return 1;
    }
    size_t entries = 0;
    size_t rest = size;
    do {    /* a blob is split into chunks of at most 4000 bytes, each with its own header, plus one index */
        size_t chunk = rest < NVS_CHUNK_MAX ? rest : NVS_CHUNK_MAX;
        entries += 1 + (chunk + NVS_ENTRY_SIZE - 1) / NVS_ENTRY_SIZE;
        rest -= chunk;
    } while (rest > 0);
    return entries + (type == NVS_TYPE_BLOB ? 1 : 0);
}

size_t host_nvs_used_entries(const nvs_table_t *table)
{
    size_t used = table->namespace_count;
    for (size_t i = 0; i < table->count; i++) {
        used += host_nvs_item_entries(table->items[i].type, table->items[i].size);
    }
    return used;
}

void host_nvs_remove(nvs_table_t *table, nvs_item_t *item)
{
    free(item->data);
    size_t index = (size_t)(item - table->items);
    memmove(item, item + 1, (table->count - index - 1) * sizeof *item);
    table->count--;
}

esp_err_t host_nvs_put(nvs_table_t *table, const char *ns, const char *key, nvs_type_t type, const void *data,
                       size_t size)
{
    nvs_item_t *old = host_nvs_find(table, ns, key);
    size_t used = host_nvs_used_entries(table) - (old != NULL ? host_nvs_item_entries(old->type, old->size) : 0);
    /* the new item is written before the old one is erased (Storage::writeItem), so both must fit at once */
    size_t needed = host_nvs_item_entries(type, size) + (old != NULL ? host_nvs_item_entries(old->type, old->size) : 0);
    if (used + needed > (NVS_PARTITION_PAGES - 1) * NVS_PAGE_ENTRIES) {
        return ESP_ERR_NVS_NOT_ENOUGH_SPACE;
    }
    uint8_t *copy = malloc(size > 0 ? size : 1);
    if (copy == NULL) {
        return ESP_ERR_NO_MEM;
    }
    memcpy(copy, data, size);
    if (old == NULL) {
        void *grown = realloc(table->items, (table->count + 1) * sizeof table->items[0]);
        if (grown == NULL) {
            free(copy);
            return ESP_ERR_NO_MEM;
        }
        table->items = grown;
        old = &table->items[table->count++];
        memset(old, 0, sizeof *old);
        strcpy(old->ns, ns);
        strcpy(old->key, key);
    } else {
        free(old->data);
    }
    old->type = type;
    old->data = copy;
    old->size = size;
    return ESP_OK;
}

void host_nvs_clear(nvs_table_t *table)
{
    for (size_t i = 0; i < table->count; i++) {
        free(table->items[i].data);
    }
    free(table->items);
    free(table->namespaces);
    memset(table, 0, sizeof *table);
}
