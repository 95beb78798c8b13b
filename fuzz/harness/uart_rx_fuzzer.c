/*
 * libFuzzer target: a firmware's UART RX path under AddressSanitizer and UBSan, on virtual time.
 *
 * Once per process the firmware's entry (app_main) runs on the ESP-IDF host layer until its link UART is
 * installed, exactly as `uart-tunnel device` starts it.  Each input (steps.h) is then played into that UART: its
 * bytes at line rate (115200 8N1 unless UART_TUNNEL_FUZZ_BAUD says otherwise) through the host UART's FIFO and
 * ring into the driver's own RX task and on into the real lwIP, each idle by moving the virtual clock (which
 * stops at every timeout on the way: the driver's, the UART's, lwIP's).  The input ends with 1.5 s of idle line
 * (past the 1 s partial-frame rule, so the next input starts at a record boundary) and then one valid frame,
 * the canary, which any driver that resynchronises delivers.   Before the canary, what the input left in lwIP
 * is cleared as far as lwIP allows (lwip_reset.h: IP fragments aged out, so a buffer the driver lent comes back
 * within the input that lent it; TCP connections aborted; ARP and neighbour caches flushed, static entries kept),
 * so the next input starts from the state after start-up; lwip_reset.h lists what stays (listening pcbs, the
 * firmware's own memory).
 *
 * A finding ends the process through abort() (libFuzzer saves the input; ASan prints the stack):
 *   crash / sanitizer report   from the firmware itself (ASan, UBSan, SEGV)
 *   hang                       a task that never blocks again (UART_TUNNEL_FUZZ_HANG_MS of real time, 5000)
 *   <defect>                   a defect the host layer's probes name (rx-buffer-written-while-lent,
 *                              valid-frame-dropped, rx-frame-altered, uart-rx-overflow, …)
 *   resync-lost                the canary after 1.5 s of idle line never reached netif->input
 * Each is one line: "==uart-tunnel-fuzz== FINDING <kind>: <summary>".
 *
 * UART_TUNNEL_FUZZ_STEP_LOG=FILE writes every chunk fed, "<virtual µs> <hex>", for `uart-tunnel fuzz` to turn
 * a reproducer into a raw capture that `uart-tunnel device --replay` plays, and every piece the firmware sends,
 * "tx <virtual µs> <hex>" (the same input gives the same lines: the run is deterministic).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "CEspIdfHost.h"
#include "CUartTunnelWire.h"
#include "base/base.h"
#include "netif/netif.h"
#include "drivers/drivers.h"
#include "lwip_reset.h"
#include "steps.h"
#include "wire_view.h"

/* the firmware's entry (app_main unless --entry says otherwise): build.sh defines this symbol as it at link time */
void uart_tunnel_fuzz_entry(void);

void fuzz_vt_hooks_install(void);

#define RECORD_TIMEOUT_US FUZZ_RECORD_TIMEOUT_US   /* the tunnel's partial-frame rule */
#define BAND_US (CEspIdfHost_DEADLINE_BAND_MS * 1000u)  /* ±50 ms (5 FreeRTOS ticks) around that timeout: see avoid_band */
#define FINAL_IDLE_US FUZZ_FINAL_IDLE_US   /* past the 1 s rule and its band */
#define CHUNK FUZZ_CHUNK             /* the UART's RX FIFO */
#define MAX_DEFECTS 64

static struct {
    uint64_t baud;
    uint64_t hang_ms;
    FILE *step_log;
    uint64_t defect_counts[MAX_DEFECTS];
} s;

const char *__asan_default_options(void)
{
    /* handle_abort=2: the host layer's own aborts (ESP_ERROR_CHECK, configASSERT) are reports libFuzzer saves;
     * no leak check: FreeRTOS tasks and lwIP keep their allocations for the life of the process */
    return "handle_abort=2:detect_leaks=0:allow_user_segv_handler=0:abort_on_error=0";
}

const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

static void finding(const char *kind, const char *format, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void finding(const char *kind, const char *format, ...)
{
    char summary[600];
    va_list args;
    va_start(args, format);
    vsnprintf(summary, sizeof summary, format, args);
    va_end(args);
    fprintf(stderr, "==uart-tunnel-fuzz== FINDING %s: %s\n", kind, summary);
    if (s.step_log != NULL) {
        fprintf(s.step_log, "end %llu\n", (unsigned long long)host_now_us());   /* the replay keeps the idle line */
        fflush(s.step_log);
    }
    fflush(NULL);
    abort();
}

static void hang(const char *when)
{
    char running[256];
    host_vt_describe_running(running, sizeof running);
    finding("hang", "task %s never blocked again (%llu ms of real time) %s", running[0] ? running : "?",
            (unsigned long long)s.hang_ms, when);
}

static void advance_to(uint64_t target_us, const char *when)
{
    if (host_vt_advance_to(target_us, s.hang_ms) != 0) {
        hang(when);
    }
}

static uint64_t env_number(const char *name, uint64_t fallback)
{
    const char *text = getenv(name);
    return text != NULL && *text != '\0' ? strtoull(text, NULL, 10) : fallback;
}

/* Defects the probes named since the last look: the first new one is a finding. */
static void check_defects(const char *when)
{
    char name[64];
    const int count = CEspIdfHost_defectCount();
    for (int i = 0; i < count && i < MAX_DEFECTS; i++) {
        const uint64_t seen = CEspIdfHost_defect(i, name, sizeof name);
        if (seen > s.defect_counts[i]) {
            s.defect_counts[i] = seen;
            finding(name, "the host layer's probes named defect \"%s\" %s (its log line above says more)", name,
                    when);
        }
    }
}

/*
 * A real line's timing is never exact, and a driver counts the partial-frame timeout in 10 ms ticks from when
 * its task read the length: bytes that arrive within ±50 ms of the 1 s deadline may fairly be taken or dropped.
 * So the line never puts a byte there: time moves on past the band first (deterministically), and the wire's
 * view and the driver agree on every record.
 */
static bool in_band(uint64_t t)
{
    const uint64_t deadline = wire_view_deadline();
    return deadline != UINT64_MAX && t + BAND_US >= deadline && t <= deadline + BAND_US;
}

static void avoid_band(void)
{
    if (in_band(host_now_us())) {
        advance_to(wire_view_deadline() + 2 * BAND_US, "while the line was idle");
    }
}

static void log_chunk(uint64_t now, const uint8_t *bytes, size_t count)
{
    if (s.step_log == NULL) {
        return;
    }
    fprintf(s.step_log, "%llu ", (unsigned long long)now);
    for (size_t i = 0; i < count; i++) {
        fprintf(s.step_log, "%02x", bytes[i]);
    }
    fputc('\n', s.step_log);
    fflush(s.step_log);
}

static void feed(const uint8_t *bytes, size_t count)
{
    for (size_t at = 0; at < count;) {
        const size_t n = count - at < CHUNK ? count - at : CHUNK;
        avoid_band();
        const uint64_t now = host_now_us();
        log_chunk(now, bytes + at, n);
        wire_view_feed(bytes + at, n, now);
        (void)CEspIdfHost_uartFeed(bytes + at, n, 0);   /* the line does not wait: bytes the driver left unread overflow */
        advance_to(now + fuzz_line_time_us(n, s.baud), "while bytes arrived");
        at += n;
    }
}

static void idle(uint64_t us)
{
    uint64_t target = host_now_us() + us;
    if (in_band(target)) {
        target = wire_view_deadline() + 2 * BAND_US;
    }
    advance_to(target, "while the line was idle");
}

/* lwip_reset.h: what the input left in lwIP goes, as far as lwIP allows, before the canary. */
static void reset_lwip(void)
{
    const bool taken = host_core_lock();
    (void)fuzz_lwip_reset(NULL);
    host_core_unlock(taken);
}

/* What the firmware sends goes nowhere; with the step log on, each piece is noted with its virtual time and bytes
 * (a reproducer's capture and `device --virtual-time --capture` show both directions). */
static void tx_note(void *context, const uint8_t *bytes, size_t count)
{
    (void)context;
    if (s.step_log != NULL) {
        fprintf(s.step_log, "tx %llu ", (unsigned long long)host_now_us());
        for (size_t i = 0; i < count; i++) {
            fprintf(s.step_log, "%02x", bytes[i]);
        }
        fputc('\n', s.step_log);
    }
}

static void note_wire_frame(const uint8_t *frame, size_t length, void *context)
{
    (void)context;
    CEspIdfHost_noteWireFrame(frame, length, false);   /* the line keeps out of the band (avoid_band) */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    s.baud = env_number("UART_TUNNEL_FUZZ_BAUD", FUZZ_DEFAULT_BAUD);
    s.hang_ms = env_number("UART_TUNNEL_FUZZ_HANG_MS", 5000);
    const char *step_log = getenv("UART_TUNNEL_FUZZ_STEP_LOG");
    if (step_log != NULL && *step_log != '\0') {
        s.step_log = fopen(step_log, "w");
    }
    host_vt_enable();
    fuzz_vt_hooks_install();
    CEspIdfHost_resetClock();
    CEspIdfHost_setLogLevel((int)env_number("UART_TUNNEL_FUZZ_LOG_LEVEL", 1));
    esp_log_level_set(HOST_TAG, ESP_LOG_WARN);   /* DEFECT lines name what a finding is about */
    CEspIdfHost_setTxCallback(tx_note, NULL);
    CEspIdfHost_setLinkUart((int)env_number("UART_TUNNEL_FUZZ_UART", 1));
    CEspIdfHost_setFirmwareLoaded(1);
    host_set_firmware_image((const void *)uart_tunnel_fuzz_entry);
    CEspIdfHost_startMainTask(uart_tunnel_fuzz_entry);
    /* as the device: the link starts when the entry returned or installed the link's UART (30 s at most) */
    for (int i = 0; i < 3000; i++) {
        if (host_vt_settle(s.hang_ms) != 0) {
            hang("while the firmware started");
        }
        if (CEspIdfHost_waitMainReturned(0) || host_uart_link_installed()) {
            break;
        }
        advance_to(host_now_us() + 10000u, "while the firmware started");
    }
    if (!host_uart_link_installed()) {
        fprintf(stderr, "==uart-tunnel-fuzz== the firmware never installed the link's UART driver\n");
        exit(1);
    }
    advance_to(host_now_us() + 100000u, "while the firmware started");
    wire_view_reset(RECORD_TIMEOUT_US, note_wire_frame, NULL);
    char name[64];
    for (int i = 0; i < CEspIdfHost_defectCount() && i < MAX_DEFECTS; i++) {
        s.defect_counts[i] = CEspIdfHost_defect(i, name, sizeof name);   /* start-up's own are not findings */
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t offset = 0;
    fuzz_step_t step;
    while (fuzz_next_step(data, size, &offset, &step)) {
        feed(step.bytes, step.count);
        idle(step.idle_us);
    }
    advance_to(host_now_us() + FINAL_IDLE_US, "in the idle line after the input");
    reset_lwip();
    (void)CEspIdfHost_expireWireFrames(FINAL_IDLE_US / 1000u / 2u);
    check_defects("while the input played");

    uint8_t record[FUZZ_CANARY_RECORD];
    CEspIdfHost_Counters before, after;
    CEspIdfHost_readCounters(&before);
    feed(record, fuzz_canary(record));
    CEspIdfHost_readCounters(&after);
    if (after.rxFrames + after.droppedByStack == before.rxFrames + before.droppedByStack) {
        /* not yet: a driver that polls gets 2 s */
        advance_to(host_now_us() + 2 * RECORD_TIMEOUT_US, "after the canary frame");
        CEspIdfHost_readCounters(&after);
    }
    if (after.rxFrames + after.droppedByStack == before.rxFrames + before.droppedByStack) {
        finding("resync-lost", "a valid 42-byte frame sent after 1.5 s of idle line never reached netif->input: "
                "the driver did not come back to reading records");
    }
    (void)CEspIdfHost_expireWireFrames(RECORD_TIMEOUT_US / 1000u);
    check_defects("at the canary frame after the input");
    if (s.step_log != NULL) {
        fprintf(s.step_log, "end %llu\n", (unsigned long long)host_now_us());
        fflush(s.step_log);
    }
    return 0;
}
