// The host side of the ESP-IDF host layer: what the Swift `FirmwareDriver` calls. Every name carries the module
// prefix `CEspIdfHost_`. The ESP-IDF API the firmware sees (driver/uart.h, esp_netif.h, …) lives in
// ../esp-idf/include and is deliberately not imported into Swift: firmware is compiled against it at run time.
//
//  link ──bytes──▶ CEspIdfHost_uartFeed ──▶ UART RX ring ──▶ uart_read_bytes (firmware RX task)
//  link ◀──send─── CEspIdfHost_TxCallback ◀── uart_write_bytes (one call per linkoutput, or per write)
#ifndef CESPIDFHOST_H
#define CESPIDFHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// MARK: - Link and UART

/// Where UART output for the link goes. Called on the writing thread (often tcpip_thread holding the core lock).
typedef void (*CEspIdfHost_TxCallback)(void *context, const uint8_t *bytes, size_t count);
void CEspIdfHost_setTxCallback(CEspIdfHost_TxCallback callback, void *context);

/// The UART port wired to the link (default 1, the tunnel's UART1).
void CEspIdfHost_setLinkUart(int port);

/// The link's paced line rate (`--baud`; 0: unpaced): uart_write_bytes on the link UART then blocks as the TX ring
/// and FIFO of a chip sending at that rate would.
void CEspIdfHost_setLinkLineRate(uint32_t baud, uint32_t halfBitsPerCharacter);

/// Puts bytes from the link into the link UART's RX ring. Waits up to `max_wait_ms` for room (the driver
/// reading), then drops what does not fit and reports "uart-rx-overflow". Returns the bytes accepted.
size_t CEspIdfHost_uartFeed(const uint8_t *bytes, size_t count, int max_wait_ms);

/// The peer went away: empties the RX ring (its bytes belonged to the old peer) and excuses the noted wire frames
/// those bytes carried. Returns how many bytes were dropped.
size_t CEspIdfHost_uartDiscardInput(void);

// MARK: - Wire view (defect "valid-frame-dropped")

/// How near its partial-frame deadline a record may complete and still fairly be taken or dropped: a driver counts
/// that timeout in FreeRTOS ticks from when its task read the length, as ESP-IDF v5.4 gives it to count it
/// (uart_read_bytes' ticks_to_wait in components/esp_driver_uart/src/uart.c; pdMS_TO_TICKS in FreeRTOS's projdefs.h
/// rounds down), so a tick early at most and later by however long the task waited to run. The fuzz harness keeps
/// its line out of this band around the deadline; the device's wire view excuses a record that completed inside it
/// before.
#define CEspIdfHost_DEADLINE_BAND_MS 50

/// A frame that was valid on the wire, as the toolkit's own decoder saw it, before its bytes enter the ring.
/// `may_drop`: it completed within CEspIdfHost_DEADLINE_BAND_MS of its deadline, so a driver that never delivers it
/// is not named for it (one that does is matched as usual).
void CEspIdfHost_noteWireFrame(const uint8_t *frame, size_t count, bool may_drop);
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
/// The peer's frame limit (`device --max-frame`, 1518...9018): records the firmware writes up to it are legal on
/// the wire (the TX probe's `tx-invalid-length` applies above it).
void CEspIdfHost_setMaxFrame(size_t bytes);

/// The loaded firmware object and its private directory: kept while the firmware runs (a crash report reads its
/// DWARF with addr2line), removed at exit or by a crash report; esp_restart's exec hands it to the next image.
void CEspIdfHost_setFirmwareFile(const char *path, const char *directory);

/// The first esp_netif's addresses as lwIP has them (network byte order) and its MAC; 0 if there is none yet.
int CEspIdfHost_netifAddresses(uint32_t *ip, uint32_t *netmask, uint32_t *gateway, uint8_t mac[6]);

// MARK: - Chip reset and what survives it (src/toolkit/restart.c)

/// esp_restart() calls `handler` after the shutdown handlers; it should start the device again and not return
/// (if it returns, the device ends with exit status 3).
void CEspIdfHost_setRestartHandler(void (*handler)(void));
/// What esp_reset_reason() answers (esp_reset_reason_t: 1 ESP_RST_POWERON, 3 ESP_RST_SW).
void CEspIdfHost_setResetReason(int reason);
/// The UART0 console: every ESP_LOG line (and the host layer's own lines) also goes to `sink` (NULL: none).
void CEspIdfHost_setConsoleSink(void (*sink)(const char *text, size_t len));
/// The NVS partition: a file at `path` (replaced atomically on each change), else the inherited descriptor `fd`,
/// else a new memfd. Returns the descriptor in use (0 for a path), or -errno.
int CEspIdfHost_setNvsBacking(const char *path, int fd);

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

/// The firmware's heap (src/system/heap.c): its size in bytes (--heap-kb; before any call, the ESP32 figure).
void CEspIdfHost_setHeapLimit(size_t bytes);
/// The ESP32 figure: the 8-bit-capable DRAM heap regions of ESP-IDF v5.4's documented boot log (319,976 bytes).
size_t CEspIdfHost_defaultHeapBytes(void);
typedef struct {
    uint64_t limit;        // the heap's size
    uint64_t inUse;        // bytes the firmware holds now, block headers included
    uint64_t minimumFree;  // the lowest free figure so far (esp_get_minimum_free_heap_size)
    uint64_t allocations;  // firmware allocations that succeeded
    uint64_t refused;      // … that returned NULL because the heap was full
} CEspIdfHost_Heap;
void CEspIdfHost_readHeap(CEspIdfHost_Heap *out);

/// Defects seen so far, by name ("linkoutput-frees-p", …): how many names, then each name and count.
int CEspIdfHost_defectCount(void);
/// Copies the index-th defect name into `name` (NUL-terminated) and returns its count; 0 if out of range.
uint64_t CEspIdfHost_defect(int index, char *name, size_t name_size);

// MARK: - Wi-Fi: the scripted radio (src/wifi/, `--radio FILE`)

/// An access point the device can see. `auth` is wifi_auth_mode_t (0 open, 3 WPA2-PSK, 6 WPA3-PSK, …).
typedef struct {
    const char *ssid;
    const char *password;
    int auth;
    int channel;
    int rssi;
    uint8_t bssid[6];
    int present;                    // on the air now
} CEspIdfHost_RadioAP;

/// Adds the AP (or replaces the one with the same SSID and BSSID); 0 when the table (16) is full.
int CEspIdfHost_radioPutAP(const CEspIdfHost_RadioAP *ap);
/// The lease a connected station gets (network byte order); 0.0.0.0: no DHCP answer.
void CEspIdfHost_radioSetLease(uint32_t ip, uint32_t netmask, uint32_t gateway);

typedef struct {
    uint32_t scanChannelMs;         // per scanned channel
    uint32_t connectMs;             // auth + association + handshake of a good attempt
    uint32_t authFailMs;            // WPA3-SAE wrong password → AUTH_FAIL
    uint32_t handshakeTimeoutMs;    // WPA/WPA2 wrong password → 4WAY_HANDSHAKE_TIMEOUT
    uint32_t dhcpMs;                // association → GOT_IP
    uint32_t beaconTimeoutMs;       // AP silent → BEACON_TIMEOUT
} CEspIdfHost_RadioTiming;
void CEspIdfHost_radioTiming(CEspIdfHost_RadioTiming *out);
void CEspIdfHost_radioSetTiming(const CEspIdfHost_RadioTiming *timing);

/// Radio changes: 0 AP off the air, 1 back on the air, 2 RSSI = value, 3 password = text.
/// `at_ms` < 0: now (0 if no AP has that SSID); else at that host time (ms since power-on).
int CEspIdfHost_radioChange(int kind, const char *ssid, int value, const char *text, int64_t at_ms);

/// 1 while the link carries a Wi-Fi station's frames (a station netif exists, the link UART has no driver).
int CEspIdfHost_wifiOwnsLink(void);
/// One frame (decoded from the link) for the station: delivered while associated, else dropped and counted.
void CEspIdfHost_wifiLinkReceive(const uint8_t *frame, size_t count);

typedef struct {
    int initialised, started;
    int mode;                       // wifi_mode_t
    int state;                      // 0 idle, 1 connecting, 2 connected
    char ssid[33];
    int rssi, channel;
    int lastReason;                 // of the last STA_DISCONNECTED, 0 if none
    int apStarted;
    uint64_t rxFrames, txFrames, rxDropped, txDropped;
    uint64_t events;
    char recent[512];               // the last events, oldest first
    // the soft-AP's link (`--ap-listen`): its peer is a station, associated from its first frame
    int apPeer, apAssociated, apHasIp;
    uint8_t apStationMac[6];
    uint32_t apStationIp;           // network byte order, with apHasIp
    uint64_t apJoins, apRefused, apRxFrames, apTxFrames, apRxDropped, apTxDropped;
} CEspIdfHost_WifiStatus;
void CEspIdfHost_wifiStatus(CEspIdfHost_WifiStatus *out);

/// lwIP forwards packets between netifs (a soft-AP station's to the station netif's side) only with 1: the firmware's
/// CONFIG_LWIP_IP_FORWARD (ESP-IDF v5.4's default is off; Debian's liblwip is built to forward). Packets not
/// forwarded so far.
void CEspIdfHost_setIpForward(int on);
uint64_t CEspIdfHost_forwardsRefused(void);

/// The soft-AP's second link (`--ap-listen`): where the AP netif's records go (called on the sending thread, often
/// tcpip_thread holding the core lock), the link's peer coming (1) and going (0), and each frame decoded from it.
void CEspIdfHost_setApTxCallback(CEspIdfHost_TxCallback callback, void *context);
void CEspIdfHost_wifiApPeer(int present);
void CEspIdfHost_wifiApReceive(const uint8_t *frame, size_t count);

#endif
