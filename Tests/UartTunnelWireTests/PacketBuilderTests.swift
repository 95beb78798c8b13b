import Testing
import UartTunnelWire

@Suite struct PacketBuilderTests {
    @Test func arpRequestBytes() {
        let frame = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .gateway)
        let expected: [UInt8] = [
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x06,  // Ethernet
            0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,  // Ethernet/IPv4, request
            0x02, 0, 0, 0, 0, 0x02, 192, 168, 100, 2,  // sender
            0, 0, 0, 0, 0, 0, 192, 168, 100, 1,  // target
        ]
        #expect(frame == expected)
    }

    @Test func arpReplyParsesBack() throws {
        let frame = PacketBuilder.arpReply()
        #expect(frame.count == 42)
        let ethernet = try #require(EthernetFrame(frame))
        #expect(ethernet.destination == .device)
        #expect(ethernet.source == .host)
        #expect(ethernet.etherType == EtherType.arp)
        let arp = try #require(ARPPacket(ethernet.payload))
        #expect(arp == ARPPacket(
            operation: ARPPacket.reply, senderMAC: .host, senderIP: .gateway, targetMAC: .device, targetIP: .device))
    }

    /// Header of the default ping: 45 00 0054 0000 0000 40 01 [3155] c0a86401 c0a86402.
    @Test func ipv4HeaderKnownChecksumAndFields() throws {
        let frame = PacketBuilder.icmpEchoRequest()
        #expect(Array(frame[14..<34]) == [
            0x45, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00, 0x00, 0x40, 0x01, 0x31, 0x55,
            192, 168, 100, 1, 192, 168, 100, 2,
        ])
        let ip = try #require(IPv4Packet(frame[14...]))
        #expect(ip.headerChecksumValid)
        #expect(InternetChecksum.compute(frame[14..<34]) == 0)
        #expect(!ip.dontFragment)
        #expect(ip.ttl == 64)
    }

    @Test func ipv4HonoursIDAndTTL() throws {
        let frame = PacketBuilder.ipv4(protocol: 253, payload: [1, 2, 3], ipID: 0xBEEF, ttl: 1)
        let ip = try #require(IPv4Packet(frame[14...]))
        #expect(ip.identification == 0xBEEF)
        #expect(ip.ttl == 1)
        #expect(ip.protocol == 253)
        #expect(ip.totalLength == 23)
        #expect(Array(ip.payload) == [1, 2, 3])
        #expect(ip.headerChecksumValid)
    }

    /// ICMP echo id 1 seq 1 with data 0x00...0x37 has checksum 0x00EB.
    @Test func icmpEchoChecksum() throws {
        let frame = PacketBuilder.icmpEchoRequest()
        #expect(Array(frame[34..<42]) == [0x08, 0x00, 0x00, 0xEB, 0x00, 0x01, 0x00, 0x01])
        let ip = try #require(IPv4Packet(frame[14...]))
        let echo = try #require(ICMPEcho(ip.payload))
        #expect(echo.checksumValid)
        #expect(echo.isRequest)
        #expect(Array(echo.payload) == PacketBuilder.defaultPingPayload)

        var corrupted = frame
        corrupted[60] ^= 0x01
        #expect(ICMPEcho(corrupted[34...])?.checksumValid == false)
    }

    @Test func icmpEchoReplyFromDevice() throws {
        let frame = PacketBuilder.icmpEchoReply(identifier: 0x1234, sequence: 9, payload: Array("abc".utf8))
        let ethernet = try #require(EthernetFrame(frame))
        #expect(ethernet.source == .device)
        let ip = try #require(IPv4Packet(ethernet.payload))
        #expect(ip.source == .device)
        #expect(ip.destination == .gateway)
        let echo = try #require(ICMPEcho(ip.payload))
        #expect(echo.type == ICMPEcho.replyType)
        #expect(echo.identifier == 0x1234)
        #expect(echo.sequence == 9)
        #expect(echo.checksumValid)
    }

    /// Hand-computed: pseudo-header C0A8+6401+C0A8+6402+0011+000A, header 1388+0007+000A,
    /// data 6869: sum 0x2C570, folded 0xC572, complemented 0x3A8D.
    @Test func udpChecksumKnownVector() throws {
        let frame = PacketBuilder.udp(srcPort: 5000, dstPort: 7, payload: Array("hi".utf8))
        #expect(Array(frame[34..<44]) == [0x13, 0x88, 0x00, 0x07, 0x00, 0x0A, 0x3A, 0x8D, 0x68, 0x69])
        let ip = try #require(IPv4Packet(frame[14...]))
        #expect(ip.protocol == IPProtocol.udp)
        let udp = try #require(UDPDatagram(ip.payload))
        #expect(udp.checksumValid(source: ip.source, destination: ip.destination))
        #expect(!udp.checksumValid(source: ip.source, destination: IPv4Address(192, 168, 100, 3)))
        #expect(Array(udp.payload) == Array("hi".utf8))
    }

    @Test func tcpSegmentChecksumAndFields() throws {
        let frame = PacketBuilder.tcp(
            srcIP: .device, dstIP: .gateway, srcPort: 80, dstPort: 51234,
            sequence: 0x0102_0304, acknowledgment: 0xA0B0_C0D0, flags: [.syn, .ack], window: 5840,
            payload: [0xDE, 0xAD])
        let ip = try #require(IPv4Packet(frame[14...]))
        let tcp = try #require(TCPSegment(ip.payload))
        #expect(tcp.sourcePort == 80)
        #expect(tcp.destinationPort == 51234)
        #expect(tcp.sequenceNumber == 0x0102_0304)
        #expect(tcp.acknowledgmentNumber == 0xA0B0_C0D0)
        #expect(tcp.flags == [.syn, .ack])
        #expect(tcp.window == 5840)
        #expect(Array(tcp.payload) == [0xDE, 0xAD])
        #expect(tcp.checksumValid(source: .device, destination: .gateway))
        // Swapping the addresses keeps the sum; a different address must not.
        #expect(!tcp.checksumValid(source: .device, destination: IPv4Address(192, 168, 100, 9)))
        var corrupted = frame
        corrupted[frame.count - 1] ^= 0x10
        #expect(TCPSegment(corrupted[34...])?.checksumValid(source: .device, destination: .gateway) == false)
        #expect(ip.headerChecksumValid)
    }
}
