/*
 * The firmware's name lookups.  On the chip, getaddrinfo and gethostbyname are lwIP's (ESP-IDF v5.4's
 * components/lwip/include/lwip/netdb.h, reached through <netdb.h>, maps them to lwip_getaddrinfo and
 * lwip_gethostbyname): a DNS query leaves through the netif to the DNS server it was given.  Debian's liblwip is built without LWIP_DNS, so here the host's resolver answers: the
 * firmware keeps working, but its query never crosses the tunnel.  That is said once per name, so it is never
 * silent (a numeric address needs no DNS on the chip either, and passes without a word).  The firmware is linked
 * with --wrap for both names (FirmwareCompiler.socketWrapNames).
 */
#include "netif/netif.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <string.h>

#include "esp_log.h"

#define REAL HOST_WRAPPED_REAL

extern int __real_getaddrinfo(const char *, const char *, const struct addrinfo *, struct addrinfo **)
    __attribute__((weak));
extern struct hostent *__real_gethostbyname(const char *) __attribute__((weak));

int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);
struct hostent *__wrap_gethostbyname(const char *name);

#define NAMES_REMEMBERED 32

static void note_lookup(const char *call, const char *name)
{
    unsigned char address[sizeof(struct in6_addr)];
    if (name == NULL || inet_pton(AF_INET, name, address) == 1 || inet_pton(AF_INET6, name, address) == 1) {
        return;
    }
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static char said[NAMES_REMEMBERED][64];
    static int count;
    pthread_mutex_lock(&lock);
    bool known = false;
    for (int i = 0; i < count && !known; i++) {
        known = strncmp(said[i], name, sizeof said[i] - 1) == 0;
    }
    if (!known && count < NAMES_REMEMBERED) {
        snprintf(said[count++], sizeof said[0], "%s", name);
    }
    pthread_mutex_unlock(&lock);
    if (!known) {
        host_log_line(ESP_LOG_WARN, HOST_TAG, "%s(\"%s\") is answered by the host's resolver, not by a DNS query over "
                      "the tunnel: Debian's liblwip has no DNS client (on the chip, lwip_%s asks the netif's DNS "
                      "server)", call, name, call);
    }
}

int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
    note_lookup("getaddrinfo", node);
    return REAL(getaddrinfo)(node, service, hints, res);
}

struct hostent *__wrap_gethostbyname(const char *name)
{
    note_lookup("gethostbyname", name);
    return REAL(gethostbyname)(name);
}
