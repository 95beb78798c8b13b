/* Private to nvs_*.c: the host's NVS partition, a table of entries kept in a text file (see nvs_file.c). */
#ifndef HOST_NVS_STORE_H
#define HOST_NVS_STORE_H

#include "system/system.h"

#include "nvs.h"

/* ESP-IDF's flash geometry (nvs_page.hpp): 4 KiB pages of 126 32-byte entries, one page kept free for
 * garbage collection; a variable-length item holds at most 4000 bytes per chunk (Page::CHUNK_MAX_SIZE). */
#define NVS_ENTRY_SIZE 32
#define NVS_PAGE_ENTRIES 126
#define NVS_CHUNK_MAX 4000
/* The "nvs" partition of ESP-IDF's default partition tables (partitions_singleapp.csv): 0x6000 bytes. */
#define NVS_PARTITION_PAGES 6

typedef struct {
    char ns[NVS_NS_NAME_MAX_SIZE];
    char key[NVS_KEY_NAME_MAX_SIZE];
    nvs_type_t type;
    uint8_t *data;      /* integers little-endian in their own width; strings with their NUL */
    size_t size;
} nvs_item_t;

typedef struct {
    nvs_item_t *items;
    size_t count;
    char (*namespaces)[NVS_NS_NAME_MAX_SIZE];
    size_t namespace_count;
} nvs_table_t;

/* nvs_flash.c: the partition, under host_nvs_lock (taken alone: a leaf). */
extern pthread_mutex_t host_nvs_lock;
extern nvs_table_t host_nvs_table;
extern bool host_nvs_initialized;
/* Writes the table to the partition's file (with the lock held), as flash is written by each nvs_set_*. */
esp_err_t host_nvs_persist(void);
/* nvs_api.c: invalidates every open handle (with the lock held). */
void host_nvs_close_all(void);

/* nvs_table.c */
nvs_item_t *host_nvs_find(nvs_table_t *table, const char *ns, const char *key);
bool host_nvs_has_namespace(const nvs_table_t *table, const char *ns);
esp_err_t host_nvs_add_namespace(nvs_table_t *table, const char *ns);
/* Replaces any item of that key (whatever its type, as Storage::writeItem does) with a copy of data. */
esp_err_t host_nvs_put(nvs_table_t *table, const char *ns, const char *key, nvs_type_t type, const void *data,
                       size_t size);
void host_nvs_remove(nvs_table_t *table, nvs_item_t *item);
void host_nvs_clear(nvs_table_t *table);
/* Flash entries in use: one per namespace, per item its header plus 32-byte data entries (a blob also its index). */
size_t host_nvs_used_entries(const nvs_table_t *table);
size_t host_nvs_item_entries(nvs_type_t type, size_t size);
bool host_nvs_is_integer(nvs_type_t type);

/* nvs_file.c: the partition's file.  Reading fills an empty table; line numbers name a bad line. */
esp_err_t host_nvs_file_read(int fd, const char *path, nvs_table_t *table, char *error, size_t error_size);
/* Writes the whole table: to a path through a temporary file and rename(2), or over an inherited descriptor. */
esp_err_t host_nvs_file_write(int fd, const char *path, const nvs_table_t *table);

#endif
