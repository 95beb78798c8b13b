import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelLink
import UartTunnelWire

/// A record on a paced line takes time to cross. A peer that attaches while one is crossing, because the last
/// peer just left (a bridge restarting), must not receive its tail: the stream a peer sees starts at a record
/// boundary, so its first frame decodes and its first ping is answered. The device counts each such record.
///
/// The proof is causal, not a guess about scheduling. Peer A pings with 1,400 bytes of payload, so the reply is a
/// 1,444-byte record: 3.0 s on the line at 4800 baud. A reads the reply's first bytes, which shows the record is
/// on the line and how much of it is left, and leaves. Peer B connects at once (the device's next send finds a
/// different peer) or after a pause (it finds none). If B connected with more than 0.5 s of the record still to
/// cross, B must see only its own ping's reply, and the device must report the cut.
@Suite(.ownThreads) struct PacedAttachTests {
    static let rate = LineRate(baud: 4800)
    static let replyRecord = 2 + 14 + 20 + 8 + 1400

    @Test(arguments: [0, 300])
    func aPeerAttachingMidRecordStartsAtARecordBoundary(pauseMilliseconds: Int) throws {
        let device = try ChildDevice(tool: BuiltExecutable.uartTunnel,
                                     arguments: ["--baud", "4800", "--frame-timeout-ms", "5000"])
        defer { device.process.terminate() }
        var attachedMidRecord = false
        for attempt in 1...3 where !attachedMidRecord {
            let (observed, left) = try Self.leaveDuringALongReply(of: device, attempt: attempt)
            // A blocking sleep, not `await`: on a busy 2-core runner a suspended test can wait seconds to resume.
            Thread.sleep(forTimeInterval: Double(pauseMilliseconds) / 1000)
            let peer = try DevicePeer(connectingTo: device.address, frameTimeout: .seconds(5))
            let stillCrossing = Duration.nanoseconds(Self.rate.nanoseconds(forBytes: Int64(left)))
            let inTime = ContinuousClock.now - observed < stillCrossing - .milliseconds(500)
            let reply = try peer.ping(identifier: 0xA77C, sequence: UInt16(attempt), within: .seconds(15))
            let seen = peer.seen.map { describe(frame: $0) }
            #expect(reply != nil, "attempt \(attempt): first ping lost; frames seen: \(seen)\n\(device.process.output.suffix(1500))")
            let counters = peer.decoderCounters
            #expect(counters.badLengths == 0 && counters.timeouts == 0 && counters.bytesIn == counters.frameBytes + 2 * counters.frames,
                    "attempt \(attempt): bytes outside whole records: \(counters)")
            #expect(peer.seen.count == 1, "attempt \(attempt): frames seen: \(seen)")
            attachedMidRecord = inTime
        }
        #expect(attachedMidRecord, "in three attempts no peer attached with 0.5 s of the record still to cross")
        device.process.terminate()
        // Every attempt may cut a record (one that came too late still might); one in time must have.
        let output = device.process.output
        let cuts = output.firstMatch(of: /cut at peer change (\d+);/).flatMap { Int($0.1) }
        #expect(!attachedMidRecord || (cuts ?? 0) >= 1, "the device did not count the cut record:\n\(output.suffix(800))")
    }

    /// Peer A sends a long ping and leaves once the reply's length prefix has arrived. Returns when A saw it
    /// and how many bytes of the record had not arrived yet.
    private static func leaveDuringALongReply(of device: ChildDevice, attempt: Int) throws
        -> (observed: ContinuousClock.Instant, left: Int) {
        let a = try DevicePeer(connectingTo: device.address, frameTimeout: .seconds(5))
        _ = try a.collectFrames(untilQuietFor: .milliseconds(300), limit: .seconds(5))  // the link-up ARP, if any
        try a.send(frame: PacketBuilder.icmpEchoRequest(identifier: 0xA000, sequence: UInt16(attempt),
                                                        payload: [UInt8](repeating: 0x5A, count: 1400)))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        func receive(atLeast count: Int) throws {
            while received.count < count {
                guard try a.socket.waitReadable(timeout: .seconds(15)) else {
                    throw CheckFailure("attempt \(attempt): no reply to the long ping:\n\(device.process.output.suffix(1500))")
                }
                let n = try a.socket.read(into: &buffer)
                guard n > 0 else { throw CheckFailure("attempt \(attempt): the device closed the connection") }
                received += buffer[0..<n]
            }
        }
        // Whole short records ahead of the reply (a link-up ARP later than the quiet wait above) are taken and
        // passed over: only the reply's length prefix says the long record is on the line.
        while true {
            try receive(atLeast: 2)
            let length = Int(received[0]) << 8 | Int(received[1])
            if length == replyRecord - 2 { break }
            guard length < replyRecord - 2 else {
                throw CheckFailure("attempt \(attempt): expected the reply's length \(replyRecord - 2), got \(length)")
            }
            try receive(atLeast: 2 + length)
            received.removeFirst(2 + length)
        }
        let observed = ContinuousClock.now
        return (observed, replyRecord - received.count)
    }
}
