import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// A peer that connects while the paced device is still sending a record must not receive that record's tail:
/// the stream it sees starts at a record boundary, so its first frame decodes and its first ping is answered.
///
/// The record is the gratuitous ARP lwIP sends at link-up, before the device logs "listening": 46 bytes on the
/// line, 1.53 s at 300 baud. The peer connects 0.3 s after that log line, so the record is on the line unless the
/// device's line thread was starved for that long; then the peer legitimately sees the whole ARP, which proves
/// nothing, and the check takes a fresh device (at most three). A 44-byte record takes longer than the default
/// 1 s frame timeout at 300 baud, hence 10 s on both ends.
@Suite struct PacedAttachTests {
    static let recordOnTheLine = Duration.milliseconds(46 * 10 * 1000 / 300)

    @Test func aPeerAttachingMidRecordStartsAtARecordBoundary() async throws {
        var attachedMidRecord = false
        for attempt in 1...3 where !attachedMidRecord {
            let spawned = ContinuousClock.now
            let device = try ChildDevice(tool: BuiltExecutable.uartTunnel, arguments: ["--baud", "300", "--frame-timeout-ms", "10000"])
            defer { device.process.terminate() }
            try await Task.sleep(for: .milliseconds(300))
            let peer = try DevicePeer(connectingTo: device.address, frameTimeout: .seconds(10))
            // The ARP was handed to the line after the spawn, so it is still crossing if we are connected before
            // spawn + 1.53 s (the other way round: connected later proves nothing either way).
            let connectedInTime = ContinuousClock.now - spawned < Self.recordOnTheLine
            // An empty echo keeps the ping to 44 bytes each way (1.47 s at 300 baud).
            let reply = try peer.ping(identifier: 0xA77C, sequence: UInt16(attempt), payload: [],
                                      within: .seconds(12))
            let seen = peer.seen.map { describe(frame: $0) }
            #expect(reply != nil, "attempt \(attempt): first ping lost; frames seen: \(seen)\n\(device.process.output.suffix(1500))")
            let counters = peer.decoderCounters
            #expect(counters.badLengths == 0 && counters.timeouts == 0, "attempt \(attempt): \(counters)")
            #expect(counters.bytesIn == counters.frameBytes + 2 * counters.frames,
                    "attempt \(attempt): bytes outside whole records: \(counters)")
            // Whatever the timing, the only other frame allowed is the whole ARP, first.
            #expect(peer.seen.count <= 2, "attempt \(attempt): frames seen: \(seen)")
            if peer.seen.count == 2 {
                #expect(seen[0].hasPrefix("ARP request") && seen[0].hasSuffix("(gratuitous)"), "attempt \(attempt): \(seen)")
            }
            attachedMidRecord = connectedInTime && reply != nil && peer.seen.count == 1
        }
        #expect(attachedMidRecord, "in three attempts the peer never attached while the ARP was on the line")
    }
}
