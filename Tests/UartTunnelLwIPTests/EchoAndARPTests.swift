import Testing
import UartTunnelChecks
import UartTunnelWire

extension DeviceTests {
    /// The seed's 98-byte echo request in, lwIP's reply out: every byte checked.
    @Test func icmpEchoRequestGetsAnExactReply() throws {
        let peer = try DeviceHarness.connect()
        let request = PacketBuilder.icmpEchoRequest(identifier: 0x1234, sequence: 7, ipID: 0x4242)
        #expect(request.count == 98)
        let reply = try #require(try peer.ping(identifier: 0x1234, sequence: 7))

        // lwIP answers with addresses and MACs swapped, type 0, TTL ICMP_TTL (255), identifier, sequence and
        // data kept, checksums redone. The IP ID is lwIP's own choice (it does not echo the request's), so it is
        // taken from the reply; every other byte, checksums included, must match.
        let ipID = UInt16(reply[18]) << 8 | UInt16(reply[19])
        let expected = PacketBuilder.icmpEchoReply(identifier: 0x1234, sequence: 7, ipID: ipID, ttl: 255)
        #expect(reply == expected, "got \(describe(frame: reply))")
        let ip = try #require(IPv4Packet(EthernetFrame(reply)!.payload))
        #expect(ip.headerChecksumValid)
        #expect(try #require(ICMPEcho(ip.payload)).checksumValid)
    }

    @Test func arpRequestForTheDeviceGetsAReply() throws {
        let peer = try DeviceHarness.connect()
        let asker = MACAddress("02:00:00:00:00:09")!
        let askerIP = IPv4Address(192, 168, 100, 9)
        try peer.send(frame: PacketBuilder.arpRequest(senderMAC: asker, senderIP: askerIP, targetIP: .device))
        let reply = try #require(try peer.receiveFrame(within: .seconds(5)) { frame in
            guard let ethernet = EthernetFrame(frame), ethernet.etherType == EtherType.arp,
                  let arp = ARPPacket(ethernet.payload) else { return false }
            return arp.operation == ARPPacket.reply
        })
        // 42 bytes: lwIP does not pad to 60, and neither does the firmware's UART.
        #expect(reply == PacketBuilder.arpReply(senderMAC: .device, senderIP: .device,
                                                 targetMAC: asker, targetIP: askerIP))
    }

    /// 1514 is the largest frame at MTU 1500; 1518 adds 4 trailer bytes (an FCS or VLAN tag's worth) that the
    /// firmware accepts and lwIP trims by the IP total length.
    @Test(arguments: [1514, 1518])
    func largestFramesAreAnswered(frameLength: Int) throws {
        let peer = try DeviceHarness.connect()
        let payload = (0..<(1514 - 14 - 20 - 8)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var request = PacketBuilder.icmpEchoRequest(identifier: 0x1500, sequence: UInt16(frameLength), payload: payload)
        #expect(request.count == 1514)
        request += [0xDE, 0xAD, 0xBE, 0xEF].prefix(frameLength - 1514)
        try peer.send(frame: request)
        let reply = try #require(try peer.receiveFrame(within: .seconds(5)) {
            DevicePeer.isEchoReply($0, identifier: 0x1500, sequence: UInt16(frameLength))
        })
        #expect(reply.count == 1514)
        #expect(ICMPEcho(IPv4Packet(EthernetFrame(reply)!.payload)!.payload)!.payload.elementsEqual(payload))
    }
}
