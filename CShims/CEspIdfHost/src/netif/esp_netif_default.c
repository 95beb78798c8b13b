/*
 * Which esp_netif is lwIP's default, as ESP-IDF v5.4's esp_netif_update_default_netif_lwip
 * decides it:
 *
 *  SET            esp_netif_set_default_netif: remembered and sticky — later updates
 *                 leave it alone until it is destroyed;
 *  STARTED/GOT_IP the remembered default stays if it is up and its route_prio is higher
 *                 than the updated netif's; otherwise the updated netif becomes default
 *                 if it is up;
 *  STOPPED/LOST_IP the up netif with the highest route_prio (first found on a tie,
 *                 newest first) becomes default.
 *
 * esp_netif_get_default_netif returns the remembered esp_netif, not lwIP's netif_default:
 * a driver that calls netif_set_default itself changes lwIP's choice only.
 */
#include "netif/netif.h"

static esp_netif_t *s_last_default;    /* guarded by the core lock */
static bool s_overridden;

static bool is_up(esp_netif_t *esp_netif)
{
    return esp_netif != NULL && netif_is_up(&esp_netif->lwip);
}

/* esp_netif_is_active: the remembered netif may have been destroyed since. */
static esp_netif_t *active(esp_netif_t *esp_netif)
{
    return esp_netif != NULL && host_netif_listed(esp_netif) ? esp_netif : NULL;
}

static void make_default(esp_netif_t *esp_netif)
{
    netif_set_default(&esp_netif->lwip);
}

void host_netif_update_default(esp_netif_t *esp_netif, host_default_action_t action)
{
    if (s_overridden && action != HOST_DEFAULT_SET) {
        s_last_default = active(s_last_default);
        if (s_last_default != NULL) {
            return;
        }
        s_overridden = false;
    }
    switch (action) {
    case HOST_DEFAULT_SET:
        s_last_default = esp_netif;
        s_overridden = true;
        make_default(esp_netif);
        break;
    case HOST_DEFAULT_STARTED:
    case HOST_DEFAULT_GOT_IP:
        s_last_default = active(s_last_default);
        if (is_up(s_last_default) && s_last_default->route_prio > esp_netif->route_prio) {
            make_default(s_last_default);
        } else if (is_up(esp_netif)) {
            s_last_default = esp_netif;
            make_default(esp_netif);
        }
        break;
    case HOST_DEFAULT_STOPPED:
    case HOST_DEFAULT_LOST_IP:
        s_last_default = NULL;
        for (esp_netif_t *e = host_netif_next(NULL); e != NULL; e = host_netif_next(e)) {
            if (is_up(e) && (!is_up(s_last_default) || e->route_prio > s_last_default->route_prio)) {
                s_last_default = e;
            }
        }
        if (is_up(s_last_default)) {
            make_default(s_last_default);
        }
        break;
    }
}

esp_err_t esp_netif_set_default_netif(esp_netif_t *esp_netif)
{
    const bool taken = host_core_lock();
    host_netif_update_default(esp_netif, HOST_DEFAULT_SET);
    host_core_unlock(taken);
    return ESP_OK;
}

esp_netif_t *esp_netif_get_default_netif(void)
{
    return s_last_default;
}
