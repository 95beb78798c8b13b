// The Swift fuzz targets' player: one input (fuzz/harness/steps.h) played into Swift code on a virtual clock, as
// the firmware harness (fuzz/harness/uart_rx_fuzzer.c) plays it into a UART — each step's bytes in FUZZ_CHUNK-byte
// chunks at the line rate, then its idle time; after the last step FUZZ_FINAL_IDLE_US of idle line and the canary
// record. No ±50 ms band around the partial-frame deadline here: the Swift code takes the instants it is given, so
// it and the oracle see one clock exactly.
//
// The oracle is the wire's view (fuzz/harness/wire_view.c on the shared wire rule CUartTunnelWire_validFrameLength):
// every chunk goes to it first, the valid records it completes queue up, and each frame the code under test
// delivers (`delivered`) must be the next of them, byte for byte; at the end of the input none may be left.
// A broken promise ends the process as the firmware target's findings do — one line
// "==uart-tunnel-fuzz== FINDING <kind>: <summary>", then abort() (libFuzzer saves the input) — with its kinds:
// valid-frame-dropped, rx-frame-altered.
//
// UART_TUNNEL_FUZZ_STEP_LOG=FILE writes every chunk fed ("<virtual µs> <hex>"), every record the driver sends
// ("tx <virtual µs> <hex>", the driver target), then "end <µs>": the log
// `uart-tunnel fuzz` turns into a replayable capture (FuzzReproducer). UART_TUNNEL_FUZZ_BAUD sets the line rate.
// UART_TUNNEL_FUZZ_MAX_FRAME and UART_TUNNEL_FUZZ_FRAME_TIMEOUT_MS configure the code under test with another
// longest frame (1518…9018) or partial-frame timeout than the wire's 1518 and 1 s, while the oracle keeps the
// wire's: the tests' planted disagreements, which the oracle must catch. UART_TUNNEL_FUZZ_LEND_FREED=1 hands the
// code under test every chunk in memory already freed: the test that ASan watches the code under test itself (the
// harness is not instrumented), whose first read of it must be a heap-use-after-free report.
import CFuzzHarness
import Glibc

final class StepPlayer {
    /// The longest frame the code under test is configured with (see the top of this file).
    static let maxFrameUnderTest = getenv("UART_TUNNEL_FUZZ_MAX_FRAME").flatMap { Int(String(cString: $0)) } ?? 1518
    /// The partial-frame timeout the code under test is configured with.
    static let frameTimeoutUnderTest = Duration.milliseconds(
        getenv("UART_TUNNEL_FUZZ_FRAME_TIMEOUT_MS").flatMap { Int64(String(cString: $0)) }
            ?? Int64(FUZZ_RECORD_TIMEOUT_US / 1000))

    /// UART_TUNNEL_FUZZ_LEND_FREED (see the top of this file): read once, as every chunk asks.
    private let lendFreed = getenv("UART_TUNNEL_FUZZ_LEND_FREED") != nil

    /// The virtual clock, in µs since the player began; it only moves forward, across inputs too.
    private(set) var now: UInt64 = 0
    private let baud: UInt64
    private let stepLog: UnsafeMutablePointer<FILE>?
    /// Valid records of this input, back to back, and where each starts; `next` is the first not yet delivered.
    private var expectedBytes: [UInt8] = []
    private var expectedFrames: [(start: Int, count: Int)] = []
    private var next = 0
    /// The canary record, built once: an allocation per input costs ASan's allocator more than the input's bytes.
    private let canary: [UInt8] = {
        var record = [UInt8](repeating: 0, count: Int(FUZZ_CANARY_RECORD))
        let count = record.withUnsafeMutableBufferPointer { fuzz_canary($0.baseAddress!) }
        return Array(record[..<count])
    }()

    init() {
        let rate = getenv("UART_TUNNEL_FUZZ_BAUD").flatMap { UInt64(String(cString: $0)) } ?? 0
        baud = rate > 0 ? rate : UInt64(FUZZ_DEFAULT_BAUD)
        stepLog = getenv("UART_TUNNEL_FUZZ_STEP_LOG").flatMap { $0.pointee == 0 ? nil : fopen($0, "w") }
        expectedBytes.reserveCapacity(1 << 16)
        expectedFrames.reserveCapacity(1 << 12)
        let onFrame: wire_view_frame_fn = { frame, length, context in
            let player = Unmanaged<StepPlayer>.fromOpaque(context!).takeUnretainedValue()
            player.expectedFrames.append((player.expectedBytes.count, length))
            player.expectedBytes.append(contentsOf: UnsafeBufferPointer(start: frame, count: length))
        }
        wire_view_reset(UInt64(FUZZ_RECORD_TIMEOUT_US), onFrame, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Plays one input: `receive` gets each chunk with the µs it arrived at, `idle` each stretch of idle line
    /// (from, to) in µs; `delivered` must be called with every frame the code under test delivers, as it does.
    func play(_ data: UnsafePointer<UInt8>, _ size: Int, receive: (UnsafeRawBufferPointer, UInt64) -> Void,
              idle: (UInt64, UInt64) -> Void) {
        expectedBytes.removeAll(keepingCapacity: true)
        expectedFrames.removeAll(keepingCapacity: true)
        next = 0
        var offset = 0
        var step = fuzz_step_t()
        while fuzz_next_step(data, size, &offset, &step) != 0 {
            feed(UnsafeRawBufferPointer(start: step.bytes, count: step.count), receive: receive)
            wait(step.idle_us, idle: idle)
        }
        wait(UInt64(FUZZ_FINAL_IDLE_US), idle: idle)
        canary.withUnsafeBytes { feed($0, receive: receive) }
        if let stepLog {
            fputs("end \(now)\n", stepLog)
            fflush(stepLog)
        }
        if next < expectedFrames.count {
            finding("valid-frame-dropped", "\(expectedFrames.count - next) of the input's \(expectedFrames.count) valid "
                + "records never reached netif->input (the first missing: \(expectedFrames[next].count) bytes, record "
                + "\(next + 1)); the canary after \(FUZZ_FINAL_IDLE_US / 1000) ms of idle line is the last")
        }
    }

    /// A frame the code under test delivered: it must be the next valid record of the stream.
    func delivered(_ frame: UnsafeRawBufferPointer) {
        guard next < expectedFrames.count else {
            finding("rx-frame-altered", "a \(frame.count)-byte frame reached netif->input that was not on the wire "
                + "(all \(expectedFrames.count) valid records so far were already delivered)")
        }
        if matches(frame, expectedFrames[next]) {
            next += 1
            return
        }
        if let later = (next + 1..<expectedFrames.count).first(where: { matches(frame, expectedFrames[$0]) }) {
            finding("valid-frame-dropped", "\(later - next) valid record(s) before this \(frame.count)-byte frame never "
                + "reached netif->input (the first: \(expectedFrames[next].count) bytes, record \(next + 1))")
        }
        finding("rx-frame-altered", "a \(frame.count)-byte frame reached netif->input that was not on the wire byte "
            + "for byte (the next valid record: \(expectedFrames[next].count) bytes, record \(next + 1))")
    }

    private func matches(_ frame: UnsafeRawBufferPointer, _ expected: (start: Int, count: Int)) -> Bool {
        guard frame.count == expected.count else { return false }
        guard let base = frame.baseAddress, frame.count > 0 else { return true }
        return expectedBytes.withUnsafeBytes { memcmp(base, $0.baseAddress! + expected.start, frame.count) == 0 }
    }

    private func feed(_ bytes: UnsafeRawBufferPointer, receive: (UnsafeRawBufferPointer, UInt64) -> Void) {
        var at = 0
        while at < bytes.count {
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[at..<min(bytes.count, at + Int(FUZZ_CHUNK))])
            logLine("\(now)", chunk)
            wire_view_feed(chunk.baseAddress!.assumingMemoryBound(to: UInt8.self), chunk.count, now)
            if lendFreed, let copy = malloc(chunk.count) {
                copy.copyMemory(from: chunk.baseAddress!, byteCount: chunk.count)
                free(copy)
                receive(UnsafeRawBufferPointer(start: copy, count: chunk.count), now)
            } else {
                receive(chunk, now)
            }
            now += fuzz_line_time_us(chunk.count, baud)
            at += chunk.count
        }
    }

    /// A piece the code under test sent, for the step log: "tx <µs> <hex>", as the firmware harness writes it.
    func noteSent(_ bytes: UnsafeRawBufferPointer) {
        logLine("tx \(now)", bytes)
    }

    /// `prefix` is built only when there is a log: formatting a number per chunk would cost more than the chunk.
    private func logLine(_ prefix: @autoclosure () -> String, _ bytes: UnsafeRawBufferPointer) {
        guard let stepLog else { return }
        fputs(prefix() + " ", stepLog)
        for byte in bytes { fputs(byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16), stepLog) }
        fputs("\n", stepLog)
        fflush(stepLog)
    }

    private func wait(_ microseconds: UInt64, idle: (UInt64, UInt64) -> Void) {
        guard microseconds > 0 else { return }
        idle(now, now + microseconds)
        now += microseconds
    }
}

extension StepPlayer {
    /// One finding, in the firmware target's words (the step log keeps the idle line up to now), then abort() for
    /// libFuzzer to save the input.
    func finding(_ kind: String, _ summary: String) -> Never {
        fputs("==uart-tunnel-fuzz== FINDING \(kind): \(summary)\n", stderr)
        if let stepLog { fputs("end \(now)\n", stepLog) }
        fflush(nil)
        abort()
    }
}
