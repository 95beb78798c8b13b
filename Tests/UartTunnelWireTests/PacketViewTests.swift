import Testing
import UartTunnelWire

@Suite struct PacketViewTests {
    @Test func ethernetView() throws {
        #expect(EthernetFrame([UInt8](repeating: 0, count: 13)) == nil)
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x88, 0xB5, 0xAA]
        let frame = try #require(EthernetFrame(bytes))
        #expect(frame.destination.bytes == [1, 2, 3, 4, 5, 6])
        #expect(frame.source.bytes == [7, 8, 9, 10, 11, 12])
        #expect(frame.etherType == 0x88B5)
        #expect(Array(frame.payload) == [0xAA])
    }

    @Test func ipv4RejectsInconsistentHeaders() {
        let good = Array(PacketBuilder.icmpEchoRequest()[14...])
        #expect(IPv4Packet(good) != nil)
        #expect(IPv4Packet(good.prefix(19)) == nil, "shorter than a header")
        var v6 = good
        v6[0] = 0x65
        #expect(IPv4Packet(v6) == nil, "wrong version")
        var tinyIHL = good
        tinyIHL[0] = 0x44
        #expect(IPv4Packet(tinyIHL) == nil, "IHL below 5")
        var shortTotal = good
        shortTotal[2] = 0
        shortTotal[3] = 19
        #expect(IPv4Packet(shortTotal) == nil, "total length below header length")
    }

    @Test func ipv4TruncationAndPadding() throws {
        let packet = Array(PacketBuilder.udp(srcPort: 1, dstPort: 2, payload: [9])[14...])  // 29 bytes
        let padded = try #require(IPv4Packet(packet + [0, 0, 0, 0, 0]))
        #expect(padded.payload.count == 9, "Ethernet padding is not payload")
        #expect(!padded.isTruncated)
        let cut = try #require(IPv4Packet(packet.prefix(24)))
        #expect(cut.isTruncated)
        #expect(cut.payload.count == 4)
        var bad = packet
        bad[8] = 63  // TTL changed, checksum not
        #expect(IPv4Packet(bad)?.headerChecksumValid == false)
    }

    @Test func arpRejectsOtherHardware() {
        var arp = Array(PacketBuilder.arpRequest()[14...])
        #expect(ARPPacket(arp) != nil)
        #expect(ARPPacket(arp.prefix(27)) == nil)
        arp[1] = 6  // IEEE 802 hardware type
        #expect(ARPPacket(arp) == nil)
    }

    @Test func tcpFlagsPrintLikeTcpdump() {
        #expect(TCPFlags([.syn]).description == "[S]")
        #expect(TCPFlags([.syn, .ack]).description == "[S.]")
        #expect(TCPFlags([.fin, .psh, .ack]).description == "[FP.]")
        #expect(TCPFlags([.rst]).description == "[R]")
        #expect(TCPFlags([]).description == "[none]")
    }
}
