/* The probes: checks that watch the layers below through their hooks.  The toolkit attaches them. */
#ifndef HOST_PROBES_H
#define HOST_PROBES_H

#include "http/http.h"

/* wire.c: frames valid on the wire (noted by the toolkit) against frames that reached netif->input. */
void host_wire_input_seen(const struct netif *netif, const struct pbuf *p);
/* The frames noted so far arrived in link bytes ending at stream offset stream_end. */
void host_wire_fed(uint64_t stream_end);
/* The peer left with the stream read up to `consumed`: frames ending later are excused. */
void host_wire_excuse_unread(uint64_t consumed);

/* tx_stream.c: every byte the device sends to the link, in the wire's order. */
void host_tx_stream_observe(const uint8_t *bytes, size_t count);
/* The longest record length the peer accepts (the device's --max-frame); lengths above it are tx-invalid-length. */
void host_tx_stream_set_max_frame(size_t max_frame);
/* The limit set above (1518 until the toolkit sets one): linkoutput_checks.c judges frames against it too. */
size_t host_tx_stream_max_frame(void);

/* linkoutput_checks.c: the linkoutput observer (linkoutput-frees-p, tx-frame-altered, tx-rejects-legal-frame). */
void host_linkoutput_checks(esp_netif_t *esp_netif, const struct pbuf *p, const uint8_t *written, size_t count,
                            err_t err, bool freed_p);

/* heap_growth.c: one frame reached netif->input; names a heap that grows with every window of frames. */
void host_heap_growth_frame(void);

/* crash.c: names a crash of the firmware (a call through a NULL netif/driver pointer, or a fault inside the
 * firmware) before the process dies of it. */
void host_crash_watch_start(void);

#endif
