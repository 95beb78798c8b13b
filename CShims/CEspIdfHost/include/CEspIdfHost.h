// The host side of the ESP-IDF host layer: what the Swift `FirmwareDriver` calls. Every name carries the module
// prefix `CEspIdfHost_`. The ESP-IDF API the firmware sees (driver/uart.h, esp_netif.h, …) lives in
// ../esp-idf/include and is deliberately not imported into Swift: firmware is compiled against it at run time.
//
//  link ──bytes──▶ CEspIdfHost_uartFeed ──▶ UART RX ring ──▶ uart_read_bytes (firmware RX task)
//  link ◀──send─── CEspIdfHost_TxCallback ◀── uart_write_bytes (one call per linkoutput, or per write)
#ifndef CESPIDFHOST_H
#define CESPIDFHOST_H

#include <stddef.h>
#include <stdint.h>

// MARK: - Link and UART

/// Where UART output for the link goes. Called on the writing thread (often tcpip_thread holding the core lock).
typedef void (*CEspIdfHost_TxCallback)(void *context, const uint8_t *bytes, size_t count);
void CEspIdfHost_setTxCallback(CEspIdfHost_TxCallback callback, void *context);

/// The UART port wired to the link (default 1, the tunnel's UART1).
void CEspIdfHost_setLinkUart(int port);

/// Puts bytes from the link into the link UART's RX ring. Waits up to `max_wait_ms` for room (the driver
/// reading), then drops what does not fit and reports "uart-rx-overflow". Returns the bytes accepted.
size_t CEspIdfHost_uartFeed(const uint8_t *bytes, size_t count, int max_wait_ms);

/// The peer went away: empties the RX ring (its bytes belonged to the old peer) and excuses the noted wire frames
/// those bytes carried. Returns how many bytes were dropped.
size_t CEspIdfHost_uartDiscardInput(void);

// MARK: - Wire view (defect "valid-frame-dropped")

/// A frame that was valid on the wire, as the toolkit's own decoder saw it, before its bytes enter the ring.
void CEspIdfHost_noteWireFrame(const uint8_t *frame, size_t count);
/// Reports frames noted more than `max_age_ms` ago that never reached netif->input. Returns how many remain.
int CEspIdfHost_expireWireFrames(uint32_t max_age_ms);

// MARK: - Firmware lifecycle

/// "Power on": ticks, esp_timer and log timestamps count from now. Call before the firmware runs, at the moment
/// the toolkit's own log clock starts, so both kinds of log line carry the same milliseconds.
void CEspIdfHost_resetClock(void);

/// Runs `entry` (e.g. app_main) on a new "main" task, as ESP-IDF's startup does.
void CEspIdfHost_startMainTask(void (*entry)(void));
/// Waits up to `timeout_ms` for the main task's entry to return; 1 if it did.
int CEspIdfHost_waitMainReturned(int timeout_ms);
/// Waits up to `timeout_ms` until the link may start: 1 when the entry function returned, 2 when it still runs but
/// the link's UART driver is installed (on a chip bytes arrive from then on), 0 on timeout.
int CEspIdfHost_waitLinkReady(int timeout_ms);
/// Starts lwIP as the firmware's esp_netif_init would (once per process; a no-op when tcpip_thread runs): the
/// toolkit's status pages need it even if the firmware has not called it yet. Returns an esp_err_t.
int CEspIdfHost_startStack(void);
/// Marks every firmware task for deletion and stops HTTP servers; returns without waiting for them.
void CEspIdfHost_shutdown(void);

/// Tells the host layer a firmware driver is loaded: a missing core lock is then reported and survived
/// (named defect) instead of aborting like Debian's sys_arch.
void CEspIdfHost_setFirmwareLoaded(int loaded);

/// Any address inside the loaded firmware image (e.g. its entry function): calls from it are the firmware's
/// (see src/netif/pbuf_pool.c).
void CEspIdfHost_setFirmwareImage(const void *address);

/// The first esp_netif's addresses as lwIP has them (network byte order) and its MAC; 0 if there is none yet.
int CEspIdfHost_netifAddresses(uint32_t *ip, uint32_t *netmask, uint32_t *gateway, uint8_t mac[6]);

// MARK: - Logs, counters, defects

/// The run-time default level of ESP_LOGx (esp_log_level_t: 0 none … 5 verbose), i.e. `esp_log_level_set("*", …)`.
void CEspIdfHost_setLogLevel(int level);

typedef struct {
    uint64_t rxFrames;              // frames that reached netif->input
    uint64_t rxBytes;
    uint64_t droppedByStack;        // netif->input (tcpip_input) refused them
    uint64_t txFrames;              // records on the wire (decoded from the UART TX stream)
    uint64_t txBytes;               // their bytes, 2-byte length prefixes included
    uint64_t gatewayARPAnsweredLocally; // ARP requests for a static entry answered inside the host layer
    uint64_t rxOverflowBytes;       // bytes the RX ring had no room for
    uint64_t discardedOnDisconnect; // RX ring bytes dropped when the peer left
    uint64_t rxBuffersLent;         // esp_netif_receive calls (zero-copy buffers lent to lwIP)
    uint64_t rxBuffersReturned;     // … returned through driver_free_rx_buffer
} CEspIdfHost_Counters;

void CEspIdfHost_readCounters(CEspIdfHost_Counters *out);

/// Defects seen so far, by name ("linkoutput-frees-p", …): how many names, then each name and count.
int CEspIdfHost_defectCount(void);
/// Copies the index-th defect name into `name` (NUL-terminated) and returns its count; 0 if out of range.
uint64_t CEspIdfHost_defect(int index, char *name, size_t name_size);

#endif
