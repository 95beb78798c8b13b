/*
 * The esp_netif registry, as ESP-IDF v5.4's esp_netif_objects.c keeps it: a list with
 * the newest first (SLIST_INSERT_HEAD), walked by esp_netif_next_unsafe.  Entries are
 * added and removed under lwIP's core lock (ESP-IDF does it in the tcpip thread), and
 * the host's own lookups (host_netif_owner, by identity of the embedded struct netif)
 * take a small mutex so they can run on any thread.
 */
#include "netif/netif.h"

#include <string.h>

#include "esp_event.h"
#include "esp_log.h"

ESP_EVENT_DEFINE_BASE(IP_EVENT);

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static esp_netif_t *s_head;
static size_t s_count;

void host_netif_list_add(esp_netif_t *esp_netif)
{
    pthread_mutex_lock(&s_lock);
    esp_netif->next = s_head;
    s_head = esp_netif;
    s_count++;
    pthread_mutex_unlock(&s_lock);
}

bool host_netif_list_remove(esp_netif_t *esp_netif)
{
    bool removed = false;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t **at = &s_head; *at != NULL; at = &(*at)->next) {
        if (*at == esp_netif) {
            *at = esp_netif->next;
            s_count--;
            removed = true;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return removed;
}

bool host_netif_listed(const esp_netif_t *esp_netif)
{
    bool listed = false;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t *e = s_head; e != NULL && !listed; e = e->next) {
        listed = e == esp_netif;
    }
    pthread_mutex_unlock(&s_lock);
    return listed;
}

esp_netif_t *host_netif_next(esp_netif_t *after)
{
    pthread_mutex_lock(&s_lock);
    esp_netif_t *next = NULL;
    if (after == NULL) {
        next = s_head;
    } else {
        for (esp_netif_t *e = s_head; e != NULL; e = e->next) {
            if (e == after) {
                next = e->next;
                break;
            }
        }
    }
    pthread_mutex_unlock(&s_lock);
    return next;
}

esp_netif_t *host_netif_owner(const struct netif *netif)
{
    esp_netif_t *found = NULL;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t *e = s_head; e != NULL && netif != NULL; e = e->next) {
        if (&e->lwip == netif) {
            found = e;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return found;
}

bool host_netif_is_gateway(uint32_t ip)
{
    bool match = false;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t *e = s_head; e != NULL && !match; e = e->next) {
        match = ip != 0 && (e->ip_info.gw.addr == ip || ip4_addr_get_u32(netif_ip4_gw(&e->lwip)) == ip);
    }
    pthread_mutex_unlock(&s_lock);
    return match;
}

/* esp_netif_next_unsafe: v5.4 walks the list without a lock ("inherently unsafe"). */
esp_netif_t *esp_netif_next_unsafe(esp_netif_t *esp_netif)
{
    return host_netif_next(esp_netif);
}

esp_netif_t *esp_netif_next(esp_netif_t *esp_netif)
{
    return host_netif_next(esp_netif);
}

size_t esp_netif_get_nr_of_ifs(void)
{
    pthread_mutex_lock(&s_lock);
    size_t count = s_count;
    pthread_mutex_unlock(&s_lock);
    return count;
}

/* esp_netif_get_handle_from_ifkey: strcmp against each if_key, as get_handle_from_ifkey_unsafe. */
esp_netif_t *esp_netif_get_handle_from_ifkey(const char *if_key)
{
    esp_netif_t *found = NULL;
    pthread_mutex_lock(&s_lock);
    for (esp_netif_t *e = s_head; e != NULL && if_key != NULL; e = e->next) {
        if (e->if_key != NULL && strcmp(e->if_key, if_key) == 0) {
            found = e;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return found;
}

/* esp_netif_find_if: the first netif, newest first, that the predicate accepts; run in the lwIP context. */
esp_netif_t *esp_netif_find_if(esp_netif_find_predicate_t fn, void *ctx)
{
    if (fn == NULL) {
        return NULL;
    }
    const bool taken = host_core_lock();
    esp_netif_t *found = NULL;
    for (esp_netif_t *e = host_netif_next(NULL); e != NULL; e = host_netif_next(e)) {
        if (fn(e, ctx)) {
            found = e;
            break;
        }
    }
    host_core_unlock(taken);
    return found;
}

esp_err_t esp_netif_tcpip_exec(esp_netif_callback_fn fn, void *ctx)
{
    if (fn == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    const bool taken = host_core_lock();
    esp_err_t err = fn(ctx);
    host_core_unlock(taken);
    return err;
}

/* Accessors: like v5.4 they dereference the handle without a check (a NULL handle crashes there). */
static esp_netif_t *checked(esp_netif_t *esp_netif, const char *function)
{
    if (esp_netif == NULL) {
        host_fatal("esp-netif-null-handle", "%s(NULL): ESP-IDF v5.4 dereferences the handle without a check "
                   "(LoadProhibited on an ESP32)", function);
    }
    return esp_netif;
}

const char *esp_netif_get_ifkey(esp_netif_t *esp_netif)
{
    return checked(esp_netif, __func__)->if_key;
}

const char *esp_netif_get_desc(esp_netif_t *esp_netif)
{
    return checked(esp_netif, __func__)->if_desc;
}

esp_netif_flags_t esp_netif_get_flags(esp_netif_t *esp_netif)
{
    return checked(esp_netif, __func__)->flags;
}

esp_netif_iodriver_handle esp_netif_get_io_driver(esp_netif_t *esp_netif)
{
    return checked(esp_netif, __func__)->driver_handle;
}

int esp_netif_get_route_prio(esp_netif_t *esp_netif)
{
    return esp_netif != NULL ? esp_netif->route_prio : -1;
}

int32_t esp_netif_get_event_id(esp_netif_t *esp_netif, esp_netif_ip_event_type_t event_type)
{
    switch (event_type) {
    case ESP_NETIF_IP_EVENT_GOT_IP:
        return (int32_t)checked(esp_netif, __func__)->get_ip_event;
    case ESP_NETIF_IP_EVENT_LOST_IP:
        return (int32_t)checked(esp_netif, __func__)->lost_ip_event;
    default:
        return -1;
    }
}

/* v5.4: netif->state (LWIP_ESP_NETIF_DATA is 0 without bridge/PPP), so a driver that reuses state breaks it. */
esp_netif_t *esp_netif_get_handle_from_netif_impl(void *dev)
{
    return dev != NULL ? ((struct netif *)dev)->state : NULL;
}

void *esp_netif_get_netif_impl(esp_netif_t *esp_netif)
{
    return esp_netif != NULL ? &esp_netif->lwip : NULL;
}

int esp_netif_get_netif_impl_index(esp_netif_t *esp_netif)
{
    if (esp_netif == NULL) {
        return -1;
    }
    return netif_get_index(&esp_netif->lwip);
}

esp_err_t esp_netif_get_netif_impl_name(esp_netif_t *esp_netif, char *name)
{
    if (esp_netif == NULL || name == NULL) {
        return ESP_ERR_ESP_NETIF_INVALID_PARAMS;
    }
    const bool taken = host_core_lock();
    netif_index_to_name(netif_get_index(&esp_netif->lwip), name);
    host_core_unlock(taken);
    return ESP_OK;
}
