/*
 * esp_netif's life cycle seen from firmware, one "probe <step>:" log line per step, for
 * EspNetifLifecycleTests: what ESP-IDF v5.4 leaves in the lwIP netif after esp_netif_new,
 * what action_connected does to a netif never started, which events are posted, how
 * the default netif follows route_prio and the sticky override.  Events are counted by
 * a handler on the default loop; a marker event posted after each step proves that
 * everything posted before it has been delivered (the loop runs handlers in order).
 */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_net_stack.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"

static const char *TAG = "probe";

ESP_EVENT_DEFINE_BASE(PROBE_EVENT);

static volatile int s_got_ip, s_markers, s_last_changed = -1;
static volatile uint32_t s_last_ip;

static void on_ip(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    const ip_event_got_ip_t *event = data;
    if (id == IP_EVENT_ETH_GOT_IP) {
        s_last_changed = event->ip_changed;
        s_last_ip = event->ip_info.ip.addr;
        s_got_ip++;
    }
}

static void on_marker(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)id;
    (void)data;
    s_markers++;
}

/* Waits until every event posted so far has been handled. */
static void settle(void)
{
    int target = s_markers + 1;
    esp_event_post(PROBE_EVENT, 1, NULL, 0, portMAX_DELAY);
    for (int i = 0; i < 500 && s_markers < target; i++) {
        vTaskDelay(1);
    }
}

static const char *key(esp_netif_t *netif)
{
    return netif != NULL ? esp_netif_get_ifkey(netif) : "none";
}

static bool in_netif_list(struct netif *target)
{
    bool found = false;
    struct netif *netif;
    LOCK_TCPIP_CORE();
    NETIF_FOREACH(netif) {
        found = found || netif == target;
    }
    UNLOCK_TCPIP_CORE();
    return found;
}

static esp_netif_t *lwip_default_owner(void)
{
    LOCK_TCPIP_CORE();
    struct netif *netif = netif_default;
    UNLOCK_TCPIP_CORE();
    return netif != NULL ? esp_netif_get_handle_from_netif_impl(netif) : NULL;
}

static bool key_is(esp_netif_t *netif, void *ctx)
{
    return strcmp(esp_netif_get_ifkey(netif), (const char *)ctx) == 0;
}

/* Runs in the lwIP context: walks the registry the way esp_netif_next_unsafe's documentation asks. */
static esp_err_t count_up(void *ctx)
{
    int *up = ctx;
    for (esp_netif_t *netif = esp_netif_next_unsafe(NULL); netif != NULL; netif = esp_netif_next_unsafe(netif)) {
        *up += esp_netif_is_netif_up(netif);
    }
    return ESP_ERR_NOT_FINISHED;  /* any code: tcpip_exec returns what the callback returned */
}

static esp_netif_ip_info_t address(uint8_t last)
{
    esp_netif_ip_info_t ip = { 0 };
    esp_netif_set_ip4_addr(&ip.ip, 192, 168, 100, last);
    esp_netif_set_ip4_addr(&ip.netmask, 255, 255, 255, 0);
    esp_netif_set_ip4_addr(&ip.gw, 192, 168, 100, 1);
    return ip;
}

void app_main(void)
{
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, ESP_EVENT_ANY_ID, on_ip, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(PROBE_EVENT, ESP_EVENT_ANY_ID, on_marker, NULL));

    /* esp_netif_new only creates */
    esp_netif_inherent_config_t base_a = ESP_NETIF_INHERENT_DEFAULT_ETH();
    const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0A };
    memcpy(base_a.mac, mac_a, 6);
    base_a.if_key = "A";
    esp_netif_config_t config_a = ESP_NETIF_DEFAULT_ETH();
    config_a.base = &base_a;
    esp_netif_t *a = esp_netif_new(&config_a);
    struct netif *lwip_a = esp_netif_get_netif_impl(a);
    uint8_t mac[6];
    esp_netif_get_mac(a, mac);
    ESP_LOGI(TAG, "probe new: state_is_netif=%d input_null=%d output_null=%d linkoutput_null=%d hwaddr_last=%d "
             "mac_last=%d up=%d listed=%d flags=%d", lwip_a->state == a, lwip_a->input == NULL,
             lwip_a->output == NULL, lwip_a->linkoutput == NULL, lwip_a->hwaddr[5], mac[5], netif_is_up(lwip_a),
             in_netif_list(lwip_a), (int)lwip_a->flags);
    ESP_LOGI(TAG, "probe new_rejects: null_config=%d duplicate_key=%d", esp_netif_new(NULL) == NULL,
             esp_netif_new(&config_a) == NULL);

    /* the static-address steps of the seed's sequence */
    esp_err_t stop1 = esp_netif_dhcpc_stop(a);
    esp_err_t stop2 = esp_netif_dhcpc_stop(a);
    esp_netif_ip_info_t ip2 = address(2);
    esp_err_t set = esp_netif_set_ip_info(a, &ip2);
    settle();
    ESP_LOGI(TAG, "probe static: stop1=%d stop2=0x%x set=%d got_ip=%d", stop1, (unsigned)stop2, set, s_got_ip);

    /* action_connected on a netif never started: up, linked and default, not in netif_list */
    esp_netif_action_connected(a, NULL, 0, NULL);
    settle();
    ESP_LOGI(TAG, "probe connected: up=%d link=%d listed=%d default=%s lwip_default=%s got_ip=%d changed=%d "
             "ip_last=%d", netif_is_up(lwip_a), netif_is_link_up(lwip_a), in_netif_list(lwip_a),
             key(esp_netif_get_default_netif()), key(lwip_default_owner()), s_got_ip, s_last_changed,
             (int)(s_last_ip >> 24));

    /* set_ip_info on an up netif with EVENT_IP_MODIFIED: GOT_IP, ip_changed only for a new address */
    esp_netif_set_ip_info(a, &ip2);
    settle();
    int same_changed = s_last_changed, after_same = s_got_ip;
    esp_netif_ip_info_t ip3 = address(3);
    esp_netif_set_ip_info(a, &ip3);
    settle();
    ESP_LOGI(TAG, "probe set_up: got_ip_same=%d changed_same=%d got_ip_new=%d changed_new=%d ip_last=%d",
             after_same, same_changed, s_got_ip, s_last_changed, (int)(s_last_ip >> 24));
    esp_netif_set_ip_info(a, &ip2);
    settle();

    /* B: higher route_prio, no DHCP client: default on connect, no GOT_IP from action_connected */
    esp_netif_inherent_config_t base_b = ESP_NETIF_INHERENT_DEFAULT_ETH();
    base_b.if_key = "B";
    base_b.route_prio = 100;
    base_b.flags = ESP_NETIF_FLAG_EVENT_IP_MODIFIED;
    esp_netif_ip_info_t ip9 = address(9);
    base_b.ip_info = &ip9;
    esp_netif_config_t config_b = ESP_NETIF_DEFAULT_ETH();
    config_b.base = &base_b;
    esp_netif_t *b = esp_netif_new(&config_b);
    int before_b = s_got_ip;
    esp_netif_action_connected(b, NULL, 0, NULL);
    settle();
    ESP_LOGI(TAG, "probe b_connected: default=%s got_ip_delta=%d first=%s second=%s count=%d",
             key(esp_netif_get_default_netif()), s_got_ip - before_b, key(esp_netif_next_unsafe(NULL)),
             key(esp_netif_next_unsafe(esp_netif_next_unsafe(NULL))), (int)esp_netif_get_nr_of_ifs());

    /* B goes down: its address is cleared and A is default again */
    esp_netif_action_disconnected(b, NULL, 0, NULL);
    esp_netif_ip_info_t now_b;
    esp_netif_get_ip_info(b, &now_b);
    struct netif *lwip_b = esp_netif_get_netif_impl(b);
    ESP_LOGI(TAG, "probe b_disconnected: default=%s up=%d lwip_ip_zero=%d stored_last=%d",
             key(esp_netif_get_default_netif()), esp_netif_is_netif_up(b), ip4_addr_isany_val(*netif_ip4_addr(lwip_b)),
             (int)(now_b.ip.addr >> 24));

    /* the override is sticky: B coming back with the higher priority does not take over */
    esp_netif_set_default_netif(a);
    esp_netif_action_connected(b, NULL, 0, NULL);
    ESP_LOGI(TAG, "probe sticky: default=%s lwip_default=%s", key(esp_netif_get_default_netif()),
             key(lwip_default_owner()));

    /* small return codes */
    esp_netif_dns_info_t dns = { 0 };
    dns.ip.type = ESP_IPADDR_TYPE_V4;
    esp_err_t dns_any = esp_netif_set_dns_info(a, ESP_NETIF_DNS_MAIN, &dns);
    dns.ip.u_addr.ip4.addr = ESP_IP4TOADDR(192, 168, 100, 1);
    esp_err_t dns_set = esp_netif_set_dns_info(a, ESP_NETIF_DNS_MAIN, &dns);
    esp_netif_dns_info_t back = { 0 };
    esp_netif_get_dns_info(a, ESP_NETIF_DNS_MAIN, &back);
    ESP_LOGI(TAG, "probe codes: deinit=0x%x dns_any=0x%x dns_set=%d dns_back_last=%d prio_a=%d", 
             (unsigned)esp_netif_deinit(), (unsigned)dns_any, dns_set, (int)(back.ip.u_addr.ip4.addr >> 24),
             esp_netif_get_route_prio(a));
    int up = 0;
    esp_err_t exec = esp_netif_tcpip_exec(count_up, &up);
    ESP_LOGI(TAG, "probe walk: exec=0x%x up=%d find_b=%s find_none=%s", (unsigned)exec, up,
             key(esp_netif_find_if(key_is, "B")), key(esp_netif_find_if(key_is, "Z")));
    ESP_LOGI(TAG, "probe done");
}
