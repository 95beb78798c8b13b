import Foundation
import UartTunnelLink
import UartTunnelWire

/// `uart-tunnel device --virtual-time --replay CAPTURE`: the capture's bytes toward the device, with their idle
/// gaps, played into the driver by the fuzz harness on its virtual clock — the same binary, sanitizers and probes
/// as `fuzz`, one input. A 15 s silence costs microseconds, the run is the same every time, and what the driver
/// sent comes back with virtual timestamps for `--capture`/`--raw`.
///
/// ```
///  capture ─ RX chunks + gaps ─▶ FuzzInput steps ─▶ fuzz binary (UART_TUNNEL_FUZZ_STEP_LOG) ─▶ step log
///  step log ─ RX and TX at virtual µs ─▶ CaptureTap (the device's --capture / --raw writer)
/// ```
///
/// The harness plays each step at the line rate and, like every fuzz input, ends with 1.5 s of idle line and
/// one valid frame (the canary, which a driver that lost the record boundaries never delivers: resync-lost).
public struct VirtualReplay: Sendable {
    public struct Result: Sendable {
        /// The finding's kind and summary, nil for a clean run.
        public var finding: (kind: String, summary: String)?
        public var log: FuzzReproducer.StepLog
        /// Virtual time from the first chunk to the end of the run.
        public var virtualMicroseconds: UInt64
        public var realSeconds: Double
        public var status: Int32
        /// The binary's stderr as `firmwareOutput` keeps it (the firmware's log, a sanitizer's report).
        public var output: String

        /// Whether the driver answered the canary (the last chunk fed, an ARP request for the device) with an ARP
        /// reply: its transmit path works after the input.
        public var answeredTheCanary: Bool {
            guard let canary = log.chunks.last else { return false }
            return log.sent.contains { sent in
                guard sent.microseconds >= canary.microseconds, sent.bytes.count > 2,
                      let frame = EthernetFrame(Array(sent.bytes.dropFirst(2))), frame.etherType == EtherType.arp,
                      let arp = ARPPacket(frame.payload) else { return false }
                return arp.operation == ARPPacket.reply
            }
        }
    }

    public let binary: String
    public let baud: Int

    public init(binary: String, baud: Int = 115_200) {
        self.binary = binary
        self.baud = baud
    }

    /// The capture as harness steps: each chunk's bytes, then the idle line up to the next one, rounded up to
    /// whole milliseconds (steps.h idle codes; long gaps take several empty steps), so no byte arrives earlier
    /// than the capture has it. The virtual line is paced: a chunk the capture has arriving faster than the line
    /// carries it starts when the line is free.
    public static func input(from replay: CaptureReplay, baud: Int) -> FuzzInput {
        let rate = LineRate(baud: baud)
        var steps: [FuzzInput.Step] = []
        var lineFree: Int64 = 0   // ns after the first chunk when the line has carried everything so far
        for (index, chunk) in replay.chunks.enumerated() {
            lineFree = max(lineFree, chunk.offset) + rate.nanoseconds(forBytes: Int64(chunk.bytes.count))
            let next = index + 1 < replay.chunks.count ? replay.chunks[index + 1].offset : replay.duration
            let codes = idleCodes(milliseconds: Int((max(0, next - lineFree) + 999_999) / 1_000_000))
            steps.append(FuzzInput.Step(chunk.bytes, idleCode: codes.first ?? 0))
            steps += codes.dropFirst().map { FuzzInput.Step([], idleCode: $0) }
        }
        return FuzzInput(steps)
    }

    /// `milliseconds` exactly, as few idle codes as steps.h allows (1…100 ms, then 100 ms steps up to 15.5 s).
    static func idleCodes(milliseconds: Int) -> [UInt8] {
        var left = milliseconds
        var codes: [UInt8] = []
        while left > 0 {
            if left <= 100 {
                codes.append(UInt8(left))
                left = 0
            } else {
                let hundreds = min(155, left / 100)
                codes.append(UInt8(100 + hundreds))
                left -= hundreds * 100
            }
        }
        return codes
    }

    /// Plays `replay` once. `espLogLevel` is the firmware's log level (ESP_LOG_ERROR 1 … ESP_LOG_VERBOSE 5); the
    /// binary's stderr — the firmware's log, a sanitizer's report — goes to this process's stderr when it ends,
    /// without libFuzzer's own lines (see `firmwareOutput`).
    public func run(_ replay: CaptureReplay, espLogLevel: Int, hangMilliseconds: Int = 5000,
                    environment extra: [String: String] = [:], echo: Bool = true) throws(FuzzError) -> Result {
        try run(Self.input(from: replay, baud: baud), espLogLevel: espLogLevel, hangMilliseconds: hangMilliseconds,
                environment: extra, echo: echo)
    }

    /// Plays one fuzz input (e.g. a seed of the device suite's cases) the same way.
    public func run(_ input: FuzzInput, espLogLevel: Int, hangMilliseconds: Int = 5000,
                    environment extra: [String: String] = [:], echo: Bool = true) throws(FuzzError) -> Result {
        let workspace = try FuzzSession.workspace("uart-tunnel-replay")
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let inputPath = workspace + "/replay.input", stepLog = workspace + "/steps.txt"
        try FuzzSession.write(Data(input.bytes), to: inputPath)
        var environment = FuzzSession.harnessEnvironment(extra, hangMilliseconds: hangMilliseconds, stepLog: stepLog)
        environment["UART_TUNNEL_FUZZ_BAUD"] = "\(baud)"
        environment["UART_TUNNEL_FUZZ_LOG_LEVEL"] = "\(espLogLevel)"
        let started = ContinuousClock.now
        let run = try FuzzProcess.run([binary, "-timeout=600"] + FuzzSession.runOnceFlags + [inputPath],
                                      environment: environment, captureErrors: true, directory: workspace)
        let elapsed = ContinuousClock.now - started
        let output = Self.firmwareOutput(run.errorOutput)
        if echo { FileHandle.standardError.write(Data(output.utf8)) }
        let log = FuzzReproducer.parseStepLog((try? String(contentsOfFile: stepLog, encoding: .utf8)) ?? "")
        let origin = log.chunks.first?.microseconds ?? 0
        let end = max(origin, log.last)
        var finding = FuzzReportParser.classify(run.errorOutput)
        if finding == nil, run.status != 0 {
            let last = run.errorOutput.split(separator: "\n").last { !$0.hasPrefix("INFO: ") } ?? "no output"
            finding = ("crash", "the fuzz binary ended with status \(run.status): \(last)")
        }
        return Result(finding: finding, log: log, virtualMicroseconds: end - origin,
                      realSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      status: run.status, output: output)
    }

    /// The binary's stderr as a device shows it: the firmware's log and any sanitizer report, not libFuzzer's
    /// banner and notes, and nothing after the harness's own FINDING line (its abort() adds a report of itself).
    static func firmwareOutput(_ errors: String) -> String {
        var kept: [Substring] = []
        for line in errors.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("INFO: ") || line.hasPrefix("Running: ") || line.hasPrefix("Executed ")
                || line.hasPrefix("***") || line.contains(": Running 1 inputs") {
                continue
            }
            kept.append(line)
            if line.contains("==uart-tunnel-fuzz== FINDING ") { break }
        }
        while kept.last?.isEmpty == true { kept.removeLast() }
        return kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n"
    }

    /// What the run carried, both directions at their virtual times from `start`, through the device's own
    /// capture writer (`--capture` frames, `--raw` UART bytes).
    public static func write(_ log: FuzzReproducer.StepLog, to tap: CaptureTap, start: ContinuousClock.Instant,
                             source: String) {
        let origin = log.chunks.first?.microseconds ?? 0
        func instant(_ us: UInt64) -> ContinuousClock.Instant { start + .microseconds(Int64(us &- origin)) }
        tap.note("connected virtual-time replay of \(source)", at: start)
        for (direction, chunk) in log.pieces {
            let at = instant(chunk.microseconds)
            tap.idle(at: at)
            chunk.bytes.withUnsafeBytes { tap.record(direction, $0, at: at) }
        }
        let end = instant(max(origin, log.last))
        tap.idle(at: end)
        tap.disconnected(reason: "end of the virtual-time replay", at: end)
        tap.close()
    }
}
