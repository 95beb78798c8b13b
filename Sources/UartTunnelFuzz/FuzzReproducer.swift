import Foundation
import UartTunnelLink

/// Turns the harness's step log (UART_TUNNEL_FUZZ_STEP_LOG: one line per chunk fed, "<virtual µs> <hex>", then
/// "end <µs>") into a raw capture in the project's own format (`--raw`: pcapng with the UART bytes on their own
/// interface), timestamps taken from the virtual clock, so the replay keeps every idle gap.
public enum FuzzReproducer {
    public struct Chunk: Sendable, Equatable {
        public var microseconds: UInt64
        public var bytes: [UInt8]
    }

    public static func parseStepLog(_ text: String) -> (chunks: [Chunk], end: UInt64?) {
        var chunks: [Chunk] = []
        var end: UInt64?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "end" {
                end = UInt64(fields[1])
                continue
            }
            guard fields.count == 2, let time = UInt64(fields[0]), let bytes = hexBytes(fields[1]) else { continue }
            chunks.append(Chunk(microseconds: time, bytes: bytes))
        }
        return (chunks, end)
    }

    /// Writes the chunks as RX bytes, the first at `start` (ns since the epoch), each later one as far after it as
    /// the virtual clock says.
    public static func writeCapture(_ chunks: [Chunk], end: UInt64?, to path: String, summary: String,
                                    start: Int64 = Int64(Date().timeIntervalSince1970 * 1e9)) throws {
        let header = RawCaptureFormat.Header(baud: 115_200, startNanoseconds: start, frameFormat: "8N1",
                                             frameTimeoutMilliseconds: 1000)
        let writer = try PacketCaptureWriter(path: path, format: .pcapng, uartBytes: header)
        let origin = chunks.first?.microseconds ?? 0
        func stamp(_ us: UInt64) -> Int64 { start + Int64(us &- origin) * 1000 }
        writer.note("connected uart-tunnel fuzz reproducer: \(summary)", timestamp: start)
        for chunk in chunks {
            chunk.bytes.withUnsafeBytes { writer.uartBytes(direction: .rx, timestamp: stamp(chunk.microseconds), bytes: $0) }
        }
        writer.note("disconnected: end of the reproducer", timestamp: stamp(max(end ?? origin, chunks.last?.microseconds ?? origin)))
        writer.finish(summary: [summary], received: chunks.count, dropped: 0)
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
