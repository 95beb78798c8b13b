import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// The UART event queue as ESP-IDF v5.4's `uart_rx_intr_handler_default` (components/esp_driver_uart/src/uart.c)
/// fills it, measured by an event-queue driver in the style of the uart_events example
/// (`Fixtures/probes/uart_events_probe.c`) while the test plays the link peer. Every step is a handshake: the probe
/// logs "evp ready: …", the test sends only then, and the assertions are about content, not timing.
@Suite(.ownThreads) struct UartEventTests {
    /// "evp data: total=1000 events=9 …" → ["total": 1000, …]
    private func values(_ output: String, line prefix: String) -> [String: String] {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(prefix) }) else { return [:] }
        var values: [String: String] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }

    private func int(_ values: [String: String], _ key: String) -> Int? { values[key].flatMap { Int($0) } }

    private func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(format: "%08x", hash)
    }

    /// Deterministic bytes that never repeat a 4-byte window in practice.
    private func noise(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// The bytes the probe dumped as "evp dump NNNN: <hex>" lines.
    private func dump(_ output: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: "evp dump ") else { continue }
            let hex = line[range.upperBound...].split(separator: " ").last.map(String.init) ?? ""
            var index = hex.startIndex
            while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
                bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
                index = next
            }
        }
        return bytes
    }

    @Test func eventQueueDataPatternBufferFullAndDrops() throws {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/uart_events_probe.c")])
        let peer = try DevicePeer(connectingTo: device.address)
        func waitFor(_ text: String, timeout: Duration = .seconds(10)) throws {
            try #require(device.child.waitForOutput(containing: text, timeout: timeout), "\(device.output)")
        }

        // uart_get_baudrate reads back the ESP32 divider: 80 MHz * 16 / 115200 = 11111, so 115201.
        try waitFor("evp baud=")
        #expect(values(device.output, line: "evp baud=")["baud"] == "115201")

        // UART_DATA: every byte accounted for once, in RX-FIFO-full reads of exactly the 120-byte threshold
        // (timeout_flag false) and shorter reads when the line went idle (timeout_flag true).
        try waitFor("evp ready: data")
        let data = noise(1000, seed: 1)
        try peer.send(raw: data)
        try waitFor("evp data:")
        let summary = values(device.output, line: "evp data:")
        #expect(int(summary, "total") == 1000, "\(summary)")
        #expect(summary["hash"] == fnv1a(data), "\(summary)")
        #expect(int(summary, "bad") == 0 && int(summary, "other") == 0, "\(summary)")
        #expect((int(summary, "timeouts") ?? 0) >= 1, "\(summary)")

        // UART_PATTERN_DET: uart_pattern_pop_pos gives the offset of "+++" from the read position; read up to it
        // (as the uart_events example does) and the next three bytes are the pattern, at stream offsets 200 and 303.
        try waitFor("evp ready: pattern")
        let pattern = [UInt8](repeating: 0x41, count: 200) + Array("+++".utf8) + [UInt8](repeating: 0x42, count: 100)
            + Array("+++".utf8) + [UInt8](repeating: 0x43, count: 10)
        try peer.send(raw: pattern)
        try waitFor("evp pattern done:")
        let found = device.output.split(separator: "\n").filter { $0.contains("evp pattern: ") }
            .map { values(String($0), line: "evp pattern: ") }
        #expect(found.map { int($0, "at") } == [200, 303], "\(device.output)")
        #expect(found.allSatisfy { $0["bytes"] == "+++" }, "\(found)")
        let done = values(device.output, line: "evp pattern done:")
        #expect(int(done, "consumed") == 316 && int(done, "patterns") == 2 && int(done, "next") == -1, "\(done)")
        #expect(!device.output.contains("evp pattern lost"), "\(device.output)")

        // UART_BUFFER_FULL: the probe stops reading. The 512-byte ring takes FIFO reads only whole, so it stops
        // short of full with the refused read kept aside (its size is the event's); the 128-byte FIFO fills, the
        // link waits 200 ms, then every byte that finds the FIFO full overflows it (UART_FIFO_OVF: the FIFO's
        // bytes and that byte are lost). What the probe then reads: exactly the bytes that fitted, in order, then
        // the FIFO's last contents — the end of the stream.
        try waitFor("evp ready: full")
        let stream = noise(1996, seed: 7) + Array("END!".utf8)
        try #require(stream.count == 2000)
        try peer.send(raw: stream)
        try waitFor("evp full done")
        #expect(device.waitForDefect("uart-rx-overflow"), "\(device.output)")
        #expect(device.output.contains("bytes from the link dropped: the driver did not read the RX ring within 200 ms"))
        let full = values(device.output, line: "evp full:")
        let buffered = int(full, "buffered") ?? -1, stash = int(full, "stash") ?? -1, overflows = int(full, "ovf") ?? -1
        #expect(buffered <= 512 && buffered + stash > 512 && (1...128).contains(stash), "\(full)")
        let read = dump(device.output)
        #expect(read.count == int(full, "read"), "\(full)")
        let fitted = buffered + stash
        try #require(read.count >= fitted, "\(full)")
        #expect(Array(read[..<fitted]) == Array(stream[..<fitted]), "the bytes that fitted, in order")
        let tail = Array(read[fitted...])
        #expect(tail == Array(stream[(stream.count - tail.count)...]), "then the end of the stream")
        let lost = stream.count - read.count
        #expect(overflows >= 1 && lost == 129 * overflows, "lost \(lost), \(full)")

        // A full event queue: events are dropped (and the host says so), the data are all in the ring.
        try waitFor("evp ready: qfull")
        let more = noise(1000, seed: 3)
        try peer.send(raw: more)
        try waitFor("evp qfull:")
        let qfull = values(device.output, line: "evp qfull:")
        #expect(int(qfull, "waiting") == 4, "\(qfull)")
        #expect(int(qfull, "read") == 1000 && qfull["hash"] == fnv1a(more), "\(qfull)")
        #expect(device.output.contains("UART1 event queue full:"), "\(device.output)")
    }
}
