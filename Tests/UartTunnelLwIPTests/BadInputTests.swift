
import Testing
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelSystem
import UartTunnelTestSupport
import UartTunnelWire

/// Every malformed input from the seed's rules, fed through the device's TCP endpoint; after each one the
/// device must still answer a valid ping, and the counters must say what happened.
extension DeviceTests {
    static let badLengths: [Int] = [0] + Array(1...13) + [1519, 0xFFFF]

    @Test(arguments: badLengths)
    func invalidLengthSkipsOnlyItsTwoBytes(length: Int) throws {
        let peer = try DeviceHarness.connect()
        let before = DeviceHarness.device.status.rx.badLengths
        let ping = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xBAD0, sequence: UInt16(length)))
        // The bad length and the valid record in one write: only the 2 bad bytes may be consumed.
        try peer.send(raw: [UInt8(length >> 8), UInt8(length & 0xFF)] + ping)
        let reply = try peer.receiveFrame(within: .seconds(5)) {
            DevicePeer.isEchoReply($0, identifier: 0xBAD0, sequence: UInt16(length))
        }
        #expect(reply != nil)
        #expect(DeviceHarness.device.status.rx.badLengths == before + 1)
    }

    @Test func loneLengthByteThenSilenceTimesOut() throws {
        let peer = try DeviceHarness.connect()
        let before = DeviceHarness.device.status.rx.timeouts
        try peer.send(raw: [0x00])
        #expect(eventually { DeviceHarness.device.status.rx.timeouts > before }, "the lone byte never timed out")
        #expect(DeviceHarness.device.status.rx.timeouts == before + 1)
        #expect(try peer.ping(identifier: 0xB001, sequence: 1) != nil)
    }

    @Test func frameCutShortIsDroppedAfterTheTimeout() throws {
        let peer = try DeviceHarness.connect()
        let before = DeviceHarness.device.status.rx
        let whole = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xB002, sequence: 1))
        try peer.send(raw: Array(whole.prefix(40)))
        #expect(eventually { DeviceHarness.device.status.rx.timeouts > before.timeouts }, "the cut frame never timed out")
        let after = DeviceHarness.device.status.rx
        #expect(after.timeouts == before.timeouts + 1)
        #expect(after.frames == before.frames, "the cut frame must not reach lwIP")
        // The next ping's reply comes after anything the cut frame could have caused: then none may be there.
        #expect(try peer.ping(identifier: 0xB002, sequence: 2) != nil)
        #expect(!peer.seen.contains { DevicePeer.isEchoReply($0, identifier: 0xB002, sequence: 1) })
    }

    @Test func twentyKilobytesOfJunkThenSilenceThenAValidFrame() throws {
        let peer = try DeviceHarness.connect()
        var generator = SystemRandomNumberGenerator()
        let junk = (0..<20_480).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let taken = DeviceHarness.device.driver.counters.streamBytes
        try peer.send(raw: junk)
        // The decoder has all the junk and holds no partial record (it ended on a boundary or timed out): only
        // then can a valid record start on a boundary. Read in this order, the deadline is the one after the junk.
        #expect(eventually {
            DeviceHarness.device.driver.counters.streamBytes == taken + junk.count
                && DeviceHarness.device.driver.nextDeadline == nil
        }, "the decoder still holds part of the junk")
        #expect(try peer.ping(identifier: 0xB003, sequence: 1) != nil)
        #expect(DeviceHarness.device.status.peerConnected)
    }

    @Test func peerLeavingMidFrameIsDiscardedAndTheNextPeerWorks() throws {
        let before = DeviceHarness.device.status.rx
        // The cut frame and the FIN arrive together, so the frame timeout cannot fire first on a loaded machine.
        let leaving = try DeviceHarness.connect()
        let whole = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xB004, sequence: 1))
        try leaving.sendAndLeave(raw: Array(whole.prefix(50)))
        // The rest of that frame, sent by the next peer, must not complete the old one.
        let next = try DeviceHarness.connect()
        #expect(try next.ping(identifier: 0xB004, sequence: 2) != nil)
        let after = DeviceHarness.device.status.rx
        #expect(after.discardedOnDisconnect == before.discardedOnDisconnect + 1)
        #expect(after.timeouts == before.timeouts)
        #expect(after.badLengths == before.badLengths)
    }

    @Test func unknownEtherTypeIsIgnored() throws {
        let peer = try DeviceHarness.connect()
        let frame = PacketBuilder.ethernet(etherType: 0x88B5, payload: [UInt8](repeating: 0x55, count: 46))
        let before = DeviceHarness.device.status.rx.frames
        try peer.send(frame: frame)
        // lwIP handles frames in order, so the ping's reply is the first answer to anything after the unknown
        // frame: the device took both frames and said nothing in between.
        #expect(try peer.ping(identifier: 0xB005, sequence: 1) != nil)
        #expect(DeviceHarness.device.status.rx.frames == before + 2)
        #expect(peer.seen.count == 1, "answered the unknown EtherType: \(peer.seen.dropLast().map { describe(frame: $0) })")
    }

    @Test func ipv4WithBadChecksumIsDroppedByLwIP() throws {
        let peer = try DeviceHarness.connect()
        var request = PacketBuilder.icmpEchoRequest(identifier: 0xB006, sequence: 1)
        request[24] ^= 0xFF  // IPv4 header checksum, high byte
        let before = DeviceHarness.device.status.rx.frames
        try peer.send(frame: request)
        // The good ping after it is answered only once lwIP has dealt with the bad one (in order).
        #expect(try peer.ping(identifier: 0xB006, sequence: 2) != nil)
        #expect(DeviceHarness.device.status.rx.frames == before + 2)
        #expect(!peer.seen.contains { DevicePeer.isEchoReply($0, identifier: 0xB006, sequence: 1) })
    }
}
