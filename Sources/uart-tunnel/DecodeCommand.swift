import ArgumentParser
import Foundation
import UartTunnelLink
import UartTunnelSystem
#if canImport(Glibc)
import Glibc
#endif

/// `--direction`: the names the help lists are the names the parser takes (LinkDirection's raw values are the
/// capture format's 0 and 1, which ArgumentParser would otherwise show).
enum DirectionArgument: String, CaseIterable, ExpressibleByArgument {
    case rx, tx

    static var allValueDescriptions: [String: String] {
        ["rx": "peer → device (the device's UART RX)", "tx": "device → peer (the device's UART TX)"]
    }

    var direction: LinkDirection { self == .rx ? .rx : .tx }
}

/// `uart-tunnel decode`: a UART capture → pcap + an alignment report.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a UART capture into pcap/pcapng and report how the stream lined up with the framing.",
        discussion: """
            Reads a raw capture written by `uart-tunnel device --raw FILE` (both directions, timestamped), or with \
            --plain a plain byte dump of one direction (e.g. UART1 saved from view_uart1.sh or a logic analyser). \
            Each direction is decoded with the firmware's rules (lengths 14...1518, an invalid length skips only its \
            2 bytes, a partial frame is dropped after the timeout) and the report lists the frames, every invalid \
            length with its stream offset, the resync points and the partial frames. A plain dump has no timing, so \
            timeouts cannot be seen in it.
            """)

    @Argument(help: "The capture: raw format (see --plain).")
    var input: String

    @Option(help: "Write the decoded frames here.")
    var pcap: String?

    @Option(help: "pcapng (direction in EPB flags, notes as comments) or pcap (notes in PCAP.txt).")
    var format: PacketFileFormat = .pcapng

    @Flag(help: "The input is a plain byte dump of one direction, not the raw capture format.")
    var plain = false

    @Option(name: .customLong("direction"), help: "Direction of a --plain dump.")
    var directionArgument: DirectionArgument = .tx
    var direction: LinkDirection { directionArgument.direction }

    @Option(help: "Partial-frame timeout in ms (default: the capture's, else 1000).")
    var frameTimeoutMs: Int?

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// The whole file, or a runtime error with the errno text (`cannot read X: No such file or directory`).
    static func read(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RuntimeError(SystemError(call: "cannot read \(path)", errno: errno).description) }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw RuntimeError(SystemError(call: "cannot read \(path)", errno: errno).description)
            }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    func run() throws {
        let data = try Self.read(input)
        let result: CaptureDecoding.Result
        do {
            result = try CaptureDecoding.decode(
                [UInt8](data), plain: plain, direction: direction, pcap: pcap, format: format,
                frameTimeoutMs: frameTimeoutMs)
        } catch let error as RawCaptureFormat.FormatError {
            throw RuntimeError("\(input): \(error)")
        } catch let error as SystemError {
            throw RuntimeError("--pcap \(error)")
        }
        if json {
            struct Document: Encodable {
                let input: String
                let kind: String
                let packets: Int
                let pcap: String?
                let notes: [String]
                let directions: [AlignmentReport]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let document = Document(input: input, kind: plain ? "plain" : "raw", packets: result.packets, pcap: pcap,
                                    notes: result.notes, directions: result.reports)
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        } else {
            print("\(input): \(plain ? "plain \(direction) byte dump" : "raw capture"), \(result.packets) packets"
                + (pcap.map { " → \($0) (\(format.rawValue))" } ?? ""))
            for note in result.notes { print("note: \(note)") }
            print(AlignmentReport.table(result.reports))
        }
    }
}

/// Decoding a capture file, shared by the command and tests.
enum CaptureDecoding {
    struct Result {
        var reports: [AlignmentReport]
        var packets: Int
        var notes: [String]
    }

    static func decode(_ data: [UInt8], plain: Bool, direction: LinkDirection, pcap: String?, format: PacketFileFormat,
                       frameTimeoutMs: Int?) throws -> Result {
        var notes: [String] = []
        var records: [RawCaptureFormat.Record]
        var timeoutMs = frameTimeoutMs ?? 1000
        if plain {
            let now = MonotonicTime.wallClockNow()
            records = stride(from: 0, to: data.count, by: 65536).map { start in
                RawCaptureFormat.Record(timestamp: now, kind: direction == .rx ? .rx : .tx,
                                        bytes: Array(data[start..<min(start + 65536, data.count)]))
            }
            notes.append("plain dump: no timing, so partial-frame timeouts cannot be detected")
        } else {
            let parsed = try RawCaptureFormat.parse(data)
            records = parsed.records
            if frameTimeoutMs == nil, parsed.header.frameTimeoutMilliseconds > 0 {
                timeoutMs = parsed.header.frameTimeoutMilliseconds
            }
            notes.append("line: " + (parsed.header.baud > 0 ? "paced \(parsed.header.baud) \(parsed.header.frameFormat)" : "unpaced")
                + ", frame timeout \(timeoutMs) ms")
            if parsed.truncatedTail { notes.append("the file ends inside a record (capture cut short); decoded up to it") }
        }
        let timeout = Duration.milliseconds(timeoutMs)
        var aligners = [StreamAligner(direction: .rx, frameTimeout: timeout), StreamAligner(direction: .tx, frameTimeout: timeout)]
        let writer = try pcap.map { try PacketCaptureWriter(path: $0, format: format) }
        let base = ContinuousClock.now
        let first = records.first?.timestamp ?? 0
        var lastTimestamp = first
        func write(_ output: StreamAligner.Output, _ direction: LinkDirection, _ timestamp: Int64) {
            guard let writer else { return }
            switch output {
            case .frame(let frame, _, let comment):
                writer.packet(direction: direction, timestamp: timestamp, bytes: frame, comment: comment)
            case .partial(let bytes, let expected, _, let comment):
                writer.packet(direction: direction, timestamp: timestamp, bytes: bytes, originalLength: expected, comment: comment)
            }
        }
        for record in records {
            let instant = base + .nanoseconds(record.timestamp - first)
            lastTimestamp = max(lastTimestamp, record.timestamp)
            for index in aligners.indices {
                let dir = aligners[index].direction
                aligners[index].idle(at: instant) { write($0, dir, record.timestamp) }
            }
            switch record.kind {
            case .rx, .tx:
                let index = record.kind == .rx ? 0 : 1
                let dir = aligners[index].direction
                record.bytes.withUnsafeBytes { raw in
                    aligners[index].feed(raw, at: instant) { write($0, dir, record.timestamp) }
                }
            case .note:
                if record.text.hasPrefix("disconnected") {
                    for index in aligners.indices {
                        let dir = aligners[index].direction
                        aligners[index].reset { write($0, dir, record.timestamp) }
                    }
                }
            }
        }
        var summary: [String] = []
        for index in aligners.indices {
            let dir = aligners[index].direction
            aligners[index].finish { write($0, dir, lastTimestamp) }
            summary += aligners[index].unattachedNotes.map { "\(dir) (no later frame): \($0)" }
        }
        let reports = aligners.map(\.report).filter { !plain || $0.direction == direction.description }
        writer?.finish(summary: notes + summary, received: reports.reduce(0) { $0 + $1.frames },
                       dropped: reports.reduce(0) { $0 + $1.badLengths.count + $1.partialFrames.count })
        return Result(reports: reports, packets: writer?.packets ?? 0, notes: notes)
    }
}
