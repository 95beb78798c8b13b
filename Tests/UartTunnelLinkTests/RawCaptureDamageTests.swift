import Foundation
import Testing
import UartTunnelChecks
@testable import UartTunnelLink

/// A damaged raw capture is a clear error, never a crash: `decode` used to trap on an Int64 overflow when two
/// timestamps lay ±9e18 ns apart (the 66-byte reproducer below).
@Suite struct RawCaptureDamageTests {
    /// Header + two 4-byte RX records stamped `first` and `second`.
    static func capture(first: Int64, second: Int64) -> [UInt8] {
        var bytes = RawCaptureFormat.Header(baud: 115_200, startNanoseconds: 0, frameFormat: "8N1",
                                            frameTimeoutMilliseconds: 1000).bytes
        for stamp in [first, second] {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: stamp) >> UInt64(shift))) }
            bytes.append(RawCaptureFormat.Kind.rx.rawValue)
            bytes += [4, 0, 0, 0, 0x00, 0x0E, 0xAA, 0xBB]
        }
        return bytes
    }

    @Test func theReproducerIs66BytesAndParsesToAClearError() {
        let bytes = Self.capture(first: 9_000_000_000_000_000_000, second: -9_000_000_000_000_000_000)
        #expect(bytes.count == 66)
        #expect(throws: RawCaptureFormat.FormatError.self) { try RawCaptureFormat.parse(bytes) }
        do {
            _ = try RawCaptureFormat.parse(bytes)
        } catch {
            #expect(error.description.contains("before the previous record's"), "\(error)")
        }
    }

    @Test func aSpanThatWouldOverflowIsRejectedToo() {
        let bytes = Self.capture(first: -9_000_000_000_000_000_000, second: 9_000_000_000_000_000_000)
        do {
            _ = try RawCaptureFormat.parse(bytes)
            Issue.record("parsed a capture spanning 18e18 ns")
        } catch {
            #expect(error.description.contains("more than 100 years after the first record's"), "\(error)")
        }
    }

    @Test func anOrdinaryCaptureStillParses() throws {
        let parsed = try RawCaptureFormat.parse(Self.capture(first: 1_000, second: 2_000))
        #expect(parsed.records.map(\.timestamp) == [1_000, 2_000])
        #expect(parsed.records[0].bytes == [0x00, 0x0E, 0xAA, 0xBB])
    }

    @Test func decodeSaysSoAndExitsNonZero() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(getpid()).raw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.capture(first: 9_000_000_000_000_000_000, second: -9_000_000_000_000_000_000)).write(to: URL(fileURLWithPath: path))
        let (status, output) = try ChildProcess.run([BuiltExecutable.uartTunnel, "decode", path])
        #expect(status != 0 && status < 128, "a clean error exit, not a signal: \(status) \(output)")
        #expect(output.contains("the capture is damaged"), "\(output)")
    }
}
