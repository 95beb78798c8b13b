import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// The host layer's driver/uart.h and tick rate, measured from inside firmware (`Fixtures/probes/uart_probe.c`)
/// while the test plays the other end of the link.
@Suite(.ownThreads) struct UartSemanticsTests {
    /// "probe partial: n=4 ms=301 first=ff" → ["n": 4, "ms": 301, …]
    private func values(_ output: String, line prefix: String) -> [String: Int] {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(prefix) }) else { return [:] }
        var values: [String: Int] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=")
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    @Test func readTimeoutsPartialReadsOverflowAndTicks() throws {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/uart_probe.c")])
        let peer = try DevicePeer(connectingTo: device.address)
        func waitFor(_ text: String) throws {
            try #require(device.child.waitForOutput(containing: text, timeout: .seconds(15)), "\(device.output)")
        }

        // Nothing arrives: the read returns 0 when its 300 ms (30 ticks) run out. The upper bounds are 3 × the
        // timeout (a read that waited twice, or for ever, still fails them; a loaded machine's late wake-up does not).
        try waitFor("probe empty:")
        let empty = values(device.output, line: "probe empty:")
        #expect(empty["n"] == 0)
        #expect((290...900).contains(empty["ms"] ?? 0), "\(empty)")

        // 4 of 10 bytes: ESP-IDF's driver waits ticks_to_wait for more, then returns what it has.
        try waitFor("probe ready: send 4")
        try peer.send(raw: [0xFF, 0xFF, 0xFF, 0xFF])
        try waitFor("probe partial:")
        let partial = values(device.output, line: "probe partial:")
        #expect(partial["n"] == 4)
        #expect((290...900).contains(partial["ms"] ?? 0), "\(partial)")

        // All 10 already there: no waiting (it returns before the 30 ticks could have run out).
        try waitFor("probe ready: send 10")
        try peer.send(raw: [UInt8](repeating: 0xFF, count: 10))
        try waitFor("probe full:")
        let full = values(device.output, line: "probe full:")
        #expect(full["n"] == 10)
        #expect((full["ms"] ?? 999) < 290, "\(full)")

        // The firmware stops reading: the 256-byte RX ring fills, the link waits 200 ms, then drops and says so.
        // As ESP-IDF's uart_rx_intr_handler_default, a FIFO read (up to 128 bytes) enters the ring only whole:
        // the ring stops short of full (240 for one 1000-byte burst: two 120-byte reads), never below 129.
        try waitFor("probe ready: not reading")
        try peer.send(raw: [UInt8](repeating: 0xFF, count: 1000))
        #expect(device.waitForDefect("uart-rx-overflow"), "\(device.output)")
        #expect(device.output.contains("bytes from the link dropped: the driver did not read the RX ring within 200 ms"),
                "\(device.output)")
        try waitFor("probe buffered=")
        let buffered = values(device.output, line: "probe buffered=")["buffered"] ?? 0
        #expect((129...256).contains(buffered), "\(buffered)")

        // PBUF_POOL from firmware: a whole 1514-byte frame in one pbuf, not an overrun of a 616-byte pool element.
        try waitFor("probe pool:")
        let pool = values(device.output, line: "probe pool:")
        #expect(pool["len"] == 1514 && pool["single"] == 1 && pool["take"] == 0, "\(pool)")
        #expect(device.output.contains("the host layer gives it PBUF_RAM pbufs instead"))

        // ESP-IDF's default tick: 100 Hz, so pdMS_TO_TICKS(5) is 0 as on an ESP32.
        try waitFor("probe ticks:")
        let ticks = values(device.output, line: "probe ticks:")
        #expect(ticks["hz"] == 100 && ticks["ms5"] == 0 && ticks["ms1000"] == 100, "\(ticks)")
    }
}
