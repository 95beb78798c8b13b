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
}
