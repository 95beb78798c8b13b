/*
 * "Valid on the wire, never reached lwIP": the toolkit decodes the RX byte stream
 * itself (Swift RecordDecoder, the seed's rules) and notes every valid frame here
 * before its bytes enter the UART ring.  Each frame that reaches netif->input is
 * matched, in order, against those notes by length and FNV-1a hash:
 *
 *   noted:   A  B  C  D
 *   input:   A     C       → B was skipped: "valid-frame-dropped"
 *   input:   X             → not on the wire as such: "rx-frame-altered"
 *
 * Only netifs fed by the UART are judged: a netif counts as fed once one of its
 * frames matched a note.  Frames of other esp_netifs (a second interface the
 * firmware feeds from elsewhere) are neither "altered" nor take notes away.
 *
 * A note taken "may drop" (it completed within CEspIdfHost_DEADLINE_BAND_MS of its
 * partial-frame deadline) is excused from the start.
 *
 * A note that waits longer than the caller's limit is a drop too.  When the peer
 * leaves, notes whose bytes were still unread in the UART ring are excused (those
 * bytes are discarded with the old peer's data); a frame the driver had read in
 * full must still arrive.
 */
#include "probes/probes.h"

#include <string.h>

#include "CEspIdfHost.h"

#define CAPACITY 4096
#define SEARCH_LIMIT 256

typedef struct {
    uint64_t hash;
    uint32_t len;
    uint64_t noted_ms;
    uint64_t end;       /* link stream offset just past the frame's chunk; UINT64_MAX until the chunk is fed */
    bool excused;
} note_t;

#define MAX_FED 8

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static note_t s_notes[CAPACITY];
static size_t s_head, s_count;
static const struct netif *s_fed[MAX_FED];  /* netifs known to be fed by the UART (s_lock) */

static bool is_fed(const struct netif *netif)
{
    for (size_t i = 0; i < MAX_FED; i++) {
        if (s_fed[i] == netif) {
            return true;
        }
    }
    return false;
}

static void mark_fed(const struct netif *netif)
{
    for (size_t i = 0; i < MAX_FED && !is_fed(netif); i++) {
        if (s_fed[i] == NULL) {
            s_fed[i] = netif;
        }
    }
}

static note_t *note_at(size_t index)
{
    return &s_notes[(s_head + index) % CAPACITY];
}

/* Drops the oldest note, reporting it unless excused (s_lock held). */
static void drop_oldest(const char *why)
{
    note_t *note = note_at(0);
    if (!note->excused) {
        host_defect("valid-frame-dropped", "a %u-byte frame that was valid on the wire never reached "
                    "netif->input (%s)", note->len, why);
    }
    s_head = (s_head + 1) % CAPACITY;
    s_count--;
}

void CEspIdfHost_noteWireFrame(const uint8_t *frame, size_t count, bool may_drop)
{
    note_t note = { .hash = host_frame_hash(frame, count, HOST_HASH_SEED), .len = (uint32_t)count,
                    .noted_ms = host_now_ms(), .end = UINT64_MAX, .excused = may_drop };
    pthread_mutex_lock(&s_lock);
    if (s_count == CAPACITY) {
        drop_oldest("more than 4096 frames behind");
    }
    *note_at(s_count) = note;
    s_count++;
    pthread_mutex_unlock(&s_lock);
}

void host_wire_fed(uint64_t stream_end)
{
    pthread_mutex_lock(&s_lock);
    for (size_t i = s_count; i > 0 && note_at(i - 1)->end == UINT64_MAX; i--) {
        note_at(i - 1)->end = stream_end;
    }
    pthread_mutex_unlock(&s_lock);
}

void host_wire_excuse_unread(uint64_t consumed)
{
    pthread_mutex_lock(&s_lock);
    for (size_t i = 0; i < s_count; i++) {
        if (note_at(i)->end > consumed) {
            note_at(i)->excused = true;
        }
    }
    pthread_mutex_unlock(&s_lock);
}

int CEspIdfHost_expireWireFrames(uint32_t max_age_ms)
{
    const uint64_t now = host_now_ms();
    pthread_mutex_lock(&s_lock);
    while (s_count > 0 && now - note_at(0)->noted_ms > max_age_ms) {
        drop_oldest("not delivered in time");
    }
    int remaining = (int)s_count;
    pthread_mutex_unlock(&s_lock);
    return remaining;
}

void host_wire_input_seen(const struct netif *netif, const struct pbuf *p)
{
    uint64_t hash = HOST_HASH_SEED;
    for (const struct pbuf *q = p; q != NULL; q = q->next) {
        hash = host_frame_hash(q->payload, q->len, hash);
        if (q->len == q->tot_len) {
            break;
        }
    }
    const uint32_t len = p->tot_len;
    pthread_mutex_lock(&s_lock);
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < s_count && i < SEARCH_LIMIT; i++) {
        if (note_at(i)->hash == hash && note_at(i)->len == len) {
            found = i;
            break;
        }
    }
    if (found == SIZE_MAX) {
        const bool fed = is_fed(netif);
        pthread_mutex_unlock(&s_lock);
        if (!fed) {
            return;
        }
        host_defect("rx-frame-altered", "a %u-byte frame reached netif->input that was not on the wire byte for "
                    "byte (the driver changed, merged or misaligned the received bytes)", len);
        return;
    }
    mark_fed(netif);
    for (size_t i = 0; i < found; i++) {
        drop_oldest("a later frame reached lwIP first");
    }
    s_head = (s_head + 1) % CAPACITY;
    s_count--;
    pthread_mutex_unlock(&s_lock);
}
