import Foundation
import UartTunnelLink

/// Turns the harness's step log (UART_TUNNEL_FUZZ_STEP_LOG: one line per chunk fed, "<virtual µs> <hex>", one per
/// piece the firmware sent, "tx <virtual µs> <hex>", then "end <µs>") into a raw capture in the project's own format
/// (`--raw`: pcapng with the UART bytes on their own interface), timestamps taken from the virtual clock, so the
/// replay keeps every idle gap.
public enum FuzzReproducer {
    public struct Chunk: Sendable, Equatable {
        public var microseconds: UInt64
        public var bytes: [UInt8]

        public init(microseconds: UInt64, bytes: [UInt8]) {
            self.microseconds = microseconds
            self.bytes = bytes
        }
    }

    public struct StepLog: Sendable, Equatable {
        /// What the line carried to the device, in order.
        public var chunks: [Chunk] = []
        /// What the device sent (none for the Swift RecordDecoder target, which has no device).
        public var sent: [Chunk] = []
        public var end: UInt64?

        public init() {}

        /// Both directions in time order from the first chunk fed (what the firmware sent while it started is not
        /// part of the input).
        public var pieces: [(direction: LinkDirection, chunk: Chunk)] {
            let origin = chunks.first?.microseconds ?? 0
            let all = chunks.map { (LinkDirection.rx, $0) } + sent.filter { $0.microseconds >= origin }.map { (LinkDirection.tx, $0) }
            return all.sorted { $0.1.microseconds < $1.1.microseconds }.map { (direction: $0.0, chunk: $0.1) }
        }

        /// When the run ended: its end line, or its last piece.
        public var last: UInt64 {
            max(end ?? 0, chunks.last?.microseconds ?? 0, sent.last?.microseconds ?? 0)
        }
    }

    public static func parseStepLog(_ text: String) -> StepLog {
        var log = StepLog()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "end" {
                log.end = UInt64(fields[1])
            } else if fields.count == 3, fields[0] == "tx", let time = UInt64(fields[1]), let bytes = hexBytes(fields[2]) {
                log.sent.append(Chunk(microseconds: time, bytes: bytes))
            } else if fields.count == 2, let time = UInt64(fields[0]), let bytes = hexBytes(fields[1]) {
                log.chunks.append(Chunk(microseconds: time, bytes: bytes))
            }
        }
        return log
    }

    /// Writes the chunks as RX bytes and what the device sent as TX, the first chunk at `start` (ns since the
    /// epoch), everything else as far after it as the virtual clock says (the replay plays the RX side only).
    public static func writeCapture(_ log: StepLog, to path: String, summary: String,
                                    start: Int64 = Int64(Date().timeIntervalSince1970 * 1e9)) throws {
        let header = RawCaptureFormat.Header(baud: 115_200, startNanoseconds: start, frameFormat: "8N1",
                                             frameTimeoutMilliseconds: 1000)
        let writer = try PacketCaptureWriter(path: path, format: .pcapng, uartBytes: header)
        let origin = log.chunks.first?.microseconds ?? 0
        func stamp(_ us: UInt64) -> Int64 { start + Int64(us &- origin) * 1000 }
        writer.note("connected uart-tunnel fuzz reproducer: \(summary)", timestamp: start)
        for (direction, chunk) in log.pieces {
            chunk.bytes.withUnsafeBytes { writer.uartBytes(direction: direction, timestamp: stamp(chunk.microseconds), bytes: $0) }
        }
        writer.note("disconnected: end of the reproducer", timestamp: stamp(max(origin, log.last)))
        writer.finish(summary: [summary], received: log.chunks.count, dropped: 0)
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
