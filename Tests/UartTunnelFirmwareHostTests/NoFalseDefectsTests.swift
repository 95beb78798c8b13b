import Foundation
import Testing
import UartTunnelLink
import UartTunnelTestSupport
@testable import UartTunnelChecks
import UartTunnelWire

/// No false defects on correct firmware under hostile input: random bytes in bursts with pauses on either side of
/// the 1 s partial-frame timeout (the reproducer that used to make the toolkit report rx-frame-altered and
/// valid-frame-dropped against the in-repo firmware), then the device must still answer and nothing may be named.
/// The pauses stay clear of the deadline (0.5–0.7 s or 1.4–1.6 s): within tens of milliseconds of it, which side a
/// record falls on depends on when the firmware's RX task ran, and a loaded machine decides that, not the firmware.
/// The fuzz target covers that edge on virtual time, with its ±50 ms band (fuzz/harness/uart_rx_fuzzer.c).
@Suite(.ownThreads) struct NoFalseDefectsTests {
    @Test func randomBytesWithPausesEitherSideOfTheTimeoutNameNothingOnCorrectFirmware() throws {
        let device = try FirmwareDeviceProcess(["--driver", "firmware"])
        let peer = try DevicePeer(connectingTo: device.address)
        // first a real frame, so the toolkit judges this netif's input against the wire from here on
        #expect(try peer.ping(identifier: 0x6A, sequence: 100, within: .seconds(5)) != nil)
        // a new seed each run (wider coverage over time), named in the failure message so a failure replays
        let seed = UInt64.random(in: 1...UInt64.max)
        var generator = SeededGenerator(seed: seed)
        var seedBytes: [UInt8] = []
        for burst in 0..<6 {
            let junk = (0..<(200 + burst * 150)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            seedBytes += junk
            try peer.send(raw: junk)
            // either side of the firmware's 1 s partial-frame timeout: some partial frames time out, some complete
            // (a sleep only overruns, so the short ones have 300 ms of margin, the long ones 400 ms of task delay)
            Thread.sleep(forTimeInterval: [0.6, 1.5, 0.7, 1.4, 0.5, 1.6][burst])
        }
        // a silence well past the timeout, then real traffic
        Thread.sleep(forTimeInterval: 1.5)
        for sequence in 1...3 {
            #expect(try peer.ping(identifier: 0x6A, sequence: UInt16(sequence), within: .seconds(5)) != nil,
                    "ping \(sequence) after the junk")
        }
        #expect(device.defectLines.isEmpty, "\(device.defectLines.joined(separator: "\n"))\njunk: \(seedBytes.count) bytes from seed \(seed)")
    }

    /// A record that completes within CEspIdfHost_DEADLINE_BAND_MS before its 1 s deadline may fairly be taken or
    /// dropped: a driver that counts the timeout in ticks from when its task ran (uart_read_bytes' ticks_to_wait in
    /// ESP-IDF v5.4's esp_driver_uart/src/uart.c, pdMS_TO_TICKS rounding down) can be that early. The planted
    /// fixture's early_timeout driver gives up 40 ms early (960 ms); the rest of a ping arrives 985 ms after its
    /// length. The device's wire view must have taken the record whole (no "timed out" of it in its debug log) and
    /// the driver must have logged the drop: only then is the attempt proof, and a pause the machine stretched past
    /// either edge is tried again. Then the next ping, a later frame reaching lwIP, must not name the dropped one.
    /// Without the band rule it is "valid-frame-dropped".
    @Test func aRecordCompletedJustBeforeItsDeadlineMayBeDroppedUnnamed() throws {
        let planted = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("UartTunnelFuzzTests/Fixtures/planted").path
        let device = try FirmwareDeviceProcess(["--driver", planted + "/planted_tunnel.c", "-I", planted + "/early_timeout"],
                                               extra: ["--log-level", "debug"])
        defer { _ = device.child.terminate() }
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try peer.ping(identifier: 0x6B, sequence: 1) != nil)   // this netif is judged against the wire now
        func count(_ text: String) -> Int { device.output.components(separatedBy: text).count - 1 }
        var proofs = 0
        for attempt in 0..<10 where proofs == 0 {
            let record = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(
                identifier: 0x6B, sequence: UInt16(100 + attempt), payload: [UInt8](repeating: 0xFF, count: 32)))
            let drops = count("incomplete after 960 ms, dropped")
            let timeouts = count(" timed out: ")
            try peer.send(raw: Array(record[..<20]))
            Thread.sleep(forTimeInterval: 0.985)
            try peer.send(raw: Array(record[20...]))
            // whatever the driver made of the rest (a bad length or two) ends within its own timeout
            Thread.sleep(forTimeInterval: 1.1)
            #expect(try peer.ping(identifier: 0x6B, sequence: UInt16(200 + attempt)) != nil, "attempt \(attempt)")
            if count("incomplete after 960 ms, dropped") > drops && count(" timed out: ") == timeouts {
                proofs += 1
                note("the near-deadline drop was proven on attempt \(attempt + 1)")
            }
        }
        #expect(proofs == 1, "no attempt had the record whole on the wire and dropped by the driver:\n\(device.output.suffix(3000))")
        #expect(device.defectLines.isEmpty, "\(device.defectLines.joined(separator: "\n"))")
    }
}
