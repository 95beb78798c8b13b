/*
 * The default event loop: an unbounded FIFO of posted events and one task,
 * "sys_evt", that calls the matching handlers in registration order.  Handlers
 * never run on the poster's thread, as on ESP-IDF.
 */
#include "system/system.h"

#include <stdlib.h>
#include <string.h>

#include "esp_event.h"
#include "freertos/task.h"

typedef struct handler {
    esp_event_base_t base;
    int32_t id;
    esp_event_handler_t function;
    void *arg;
    struct handler *next;
} handler_t;

typedef struct event {
    esp_event_base_t base;
    int32_t id;
    void *data;
    struct event *next;
} event_t;

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_posted;
static bool s_created;
static handler_t *s_handlers;
static event_t *s_first, *s_last;

static bool matches(const handler_t *h, esp_event_base_t base, int32_t id)
{
    /* bases are compared by pointer, as ESP-IDF does: one definition per base */
    return (h->base == ESP_EVENT_ANY_BASE || h->base == base) && (h->id == ESP_EVENT_ANY_ID || h->id == id);
}

static void event_task(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&s_lock);
        while (s_first == NULL && !host_task_deletion_pending()) {
            struct timespec slice = host_slice_deadline_in_ms(100);
            host_cond_wait_until(&s_posted, &s_lock, &slice);
        }
        event_t *event = s_first;
        if (event != NULL) {
            s_first = event->next;
            if (s_first == NULL) {
                s_last = NULL;
            }
        }
        /* a snapshot of the matching handlers, so a handler may (un)register others */
        handler_t calls[32];
        int n = 0;
        for (handler_t *h = s_handlers; event != NULL && h != NULL && n < 32; h = h->next) {
            if (matches(h, event->base, event->id)) {
                calls[n++] = *h;
            }
        }
        pthread_mutex_unlock(&s_lock);
        if (event == NULL) {
            host_task_exit_if_deleted();
            continue;
        }
        for (int i = 0; i < n; i++) {
            calls[i].function(calls[i].arg, event->base, event->id, event->data);
        }
        free(event->data);
        free(event);
    }
}

esp_err_t esp_event_loop_create_default(void)
{
    pthread_mutex_lock(&s_lock);
    if (s_created) {
        pthread_mutex_unlock(&s_lock);
        return ESP_ERR_INVALID_STATE;
    }
    host_cond_init(&s_posted);
    s_created = true;
    pthread_mutex_unlock(&s_lock);
    /* ESP-IDF: CONFIG_ESP_SYSTEM_EVENT_TASK_STACK_SIZE 2304, priority 20 */
    if (xTaskCreate(event_task, "sys_evt", 2304, NULL, 20, NULL) != pdPASS) {
        return ESP_ERR_NO_MEM;
    }
    return ESP_OK;
}

esp_err_t esp_event_loop_delete_default(void)
{
    return ESP_ERR_NOT_SUPPORTED;
}

esp_err_t esp_event_handler_instance_register(esp_event_base_t event_base, int32_t event_id,
                                              esp_event_handler_t event_handler, void *event_handler_arg,
                                              esp_event_handler_instance_t *instance)
{
    if (event_handler == NULL || (event_base == ESP_EVENT_ANY_BASE && event_id != ESP_EVENT_ANY_ID)) {
        return ESP_ERR_INVALID_ARG;
    }
    handler_t *h = calloc(1, sizeof *h);
    if (h == NULL) {
        return ESP_ERR_NO_MEM;
    }
    *h = (handler_t){ .base = event_base, .id = event_id, .function = event_handler, .arg = event_handler_arg };
    pthread_mutex_lock(&s_lock);
    if (!s_created) {
        pthread_mutex_unlock(&s_lock);
        free(h);
        return ESP_ERR_INVALID_STATE;
    }
    handler_t **at = &s_handlers;
    while (*at != NULL) {
        at = &(*at)->next;
    }
    *at = h;
    pthread_mutex_unlock(&s_lock);
    if (instance != NULL) {
        *instance = h;
    }
    return ESP_OK;
}

esp_err_t esp_event_handler_register(esp_event_base_t event_base, int32_t event_id,
                                     esp_event_handler_t event_handler, void *event_handler_arg)
{
    return esp_event_handler_instance_register(event_base, event_id, event_handler, event_handler_arg, NULL);
}

static esp_err_t unregister(esp_event_base_t base, int32_t id, esp_event_handler_t function, void *instance)
{
    pthread_mutex_lock(&s_lock);
    for (handler_t **at = &s_handlers; *at != NULL; at = &(*at)->next) {
        handler_t *h = *at;
        if (instance != NULL ? (void *)h == instance : (h->base == base && h->id == id && h->function == function)) {
            *at = h->next;
            pthread_mutex_unlock(&s_lock);
            free(h);
            return ESP_OK;
        }
    }
    pthread_mutex_unlock(&s_lock);
    return ESP_OK;  /* ESP-IDF returns OK for a handler that was not registered */
}

esp_err_t esp_event_handler_unregister(esp_event_base_t event_base, int32_t event_id,
                                       esp_event_handler_t event_handler)
{
    return unregister(event_base, event_id, event_handler, NULL);
}

esp_err_t esp_event_handler_instance_unregister(esp_event_base_t event_base, int32_t event_id,
                                                esp_event_handler_instance_t instance)
{
    return instance != NULL ? unregister(event_base, event_id, NULL, instance) : ESP_ERR_INVALID_ARG;
}

esp_err_t esp_event_post(esp_event_base_t event_base, int32_t event_id, const void *event_data,
                         size_t event_data_size, TickType_t ticks_to_wait)
{
    (void)ticks_to_wait;
    event_t *event = calloc(1, sizeof *event);
    if (event == NULL) {
        return ESP_ERR_NO_MEM;
    }
    event->base = event_base;
    event->id = event_id;
    if (event_data != NULL && event_data_size > 0) {
        event->data = malloc(event_data_size);
        if (event->data == NULL) {
            free(event);
            return ESP_ERR_NO_MEM;
        }
        memcpy(event->data, event_data, event_data_size);
    }
    pthread_mutex_lock(&s_lock);
    if (!s_created) {
        pthread_mutex_unlock(&s_lock);
        free(event->data);
        free(event);
        return ESP_ERR_INVALID_STATE;
    }
    if (s_last != NULL) {
        s_last->next = event;
    } else {
        s_first = event;
    }
    s_last = event;
    pthread_cond_signal(&s_posted);
    pthread_mutex_unlock(&s_lock);
    return ESP_OK;
}
