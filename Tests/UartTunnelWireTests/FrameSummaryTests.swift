import PropertyBased
import Testing
import UartTunnelWire

@Suite struct FrameSummaryTests {
    @Test func arp() {
        #expect(describe(frame: PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .gateway))
            == "ARP request who-has 192.168.100.1 tell 192.168.100.2")
        #expect(describe(frame: PacketBuilder.arpReply(
            senderMAC: .device, senderIP: .device, targetMAC: .host, targetIP: .gateway))
            == "ARP reply 192.168.100.2 is-at 02:00:00:00:00:02")
        #expect(describe(frame: PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .device))
            == "ARP request who-has 192.168.100.2 tell 192.168.100.2 (gratuitous)")
    }

    @Test func icmp() {
        #expect(describe(frame: PacketBuilder.icmpEchoRequest(identifier: 1, sequence: 3))
            == "IPv4 192.168.100.1 > 192.168.100.2 ICMP echo request id=1 seq=3")
        #expect(describe(frame: PacketBuilder.icmpEchoReply(identifier: 7, sequence: 65535))
            == "IPv4 192.168.100.2 > 192.168.100.1 ICMP echo reply id=7 seq=65535")
        let unreachable = PacketBuilder.ipv4(protocol: IPProtocol.icmp, payload: [3, 1, 0, 0, 0, 0, 0, 0])
        #expect(describe(frame: unreachable) == "IPv4 192.168.100.1 > 192.168.100.2 ICMP type 3 code 1")
    }

    @Test func tcpAndUdp() {
        let synAck = PacketBuilder.tcp(
            srcMAC: .device, dstMAC: .host, srcIP: .device, dstIP: .gateway,
            srcPort: 80, dstPort: 51234, flags: [.syn, .ack])
        #expect(describe(frame: synAck) == "IPv4 192.168.100.2 > 192.168.100.1 TCP 80 > 51234 [S.] len=0")
        let data = PacketBuilder.tcp(srcPort: 51234, dstPort: 80, flags: [.psh, .ack], payload: Array("GET /".utf8))
        #expect(describe(frame: data) == "IPv4 192.168.100.1 > 192.168.100.2 TCP 51234 > 80 [P.] len=5")
        let udp = PacketBuilder.udp(srcPort: 5000, dstPort: 7, payload: [UInt8](repeating: 0x41, count: 12))
        #expect(describe(frame: udp) == "IPv4 192.168.100.1 > 192.168.100.2 UDP 5000 > 7 len=12")
        let gre = PacketBuilder.ipv4(protocol: 47, payload: [0, 0, 0x08, 0x00])
        #expect(describe(frame: gre) == "IPv4 192.168.100.1 > 192.168.100.2 proto 47 len=4")
    }

    /// A neighbour solicitation for 192.168.100.2's IPv6 twin, fe80::1 to its solicited-node group.
    @Test func ipv6() {
        var header: [UInt8] = [0x60, 0, 0, 0, 0x00, 0x20, IPProtocol.icmpv6, 255]
        header += [0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [0x01]
        header += [0xFF, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xFF, 0x00, 0x00, 0x02]
        let frame = PacketBuilder.ethernet(
            destination: MACAddress(0x33, 0x33, 0xFF, 0, 0, 0x02), etherType: EtherType.ipv6,
            payload: header + [135, 0, 0, 0] + [UInt8](repeating: 0, count: 28))
        #expect(describe(frame: frame) == "IPv6 fe80::1 > ff02::1:ff00:2 ICMPv6 type 135")

        var udp: [UInt8] = [0x60, 0, 0, 0, 0, 10, IPProtocol.udp, 64]
        udp += [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]  // 2001:db8:0:0:1:0:0:1
        udp += [UInt8](repeating: 0, count: 16)  // ::
        udp += [0x13, 0x88, 0x00, 0x07, 0x00, 0x0A, 0, 0, 0x68, 0x69]
        #expect(describe(frame: PacketBuilder.ethernet(etherType: EtherType.ipv6, payload: udp))
            == "IPv6 2001:db8::1:0:0:1 > :: UDP 5000 > 7 len=2")
    }

    @Test func unknownAndRunt() {
        let frame = [UInt8](repeating: 0, count: 12) + [0x88, 0xB5] + [UInt8](repeating: 0, count: 46)
        #expect(describe(frame: frame) == "EtherType 0x88b5 (unknown), 60 bytes")
        #expect(FrameSummary(frame).etherType == 0x88B5)
        #expect(FrameSummary(frame).length == 60)
        #expect(describe(frame: [1, 2, 3]) == "runt frame, 3 bytes")
        #expect(FrameSummary([]).etherType == nil)
    }

    @Test func damagedPacketsSaySo() {
        var badSum = PacketBuilder.icmpEchoRequest(sequence: 2)
        badSum[22] = 1  // TTL, checksum left stale
        #expect(describe(frame: badSum)
            == "IPv4 192.168.100.1 > 192.168.100.2 ICMP echo request id=1 seq=2 (bad header checksum)")
        let cut = Array(PacketBuilder.icmpEchoRequest(sequence: 2).prefix(60))
        #expect(describe(frame: cut) == "IPv4 192.168.100.1 > 192.168.100.2 ICMP echo request id=1 seq=2 (truncated)")
        #expect(describe(frame: Array(PacketBuilder.icmpEchoRequest().prefix(24))) == "IPv4 malformed, 10 bytes")
        #expect(describe(frame: Array(PacketBuilder.arpReply().prefix(30))) == "ARP malformed, 16 bytes")
    }

    /// Every prefix of every kind of frame, and random bytes under each EtherType, describe
    /// without trapping.
    @Test func neverTrapsOnTruncation() {
        let frames = [
            PacketBuilder.arpRequest(), PacketBuilder.icmpEchoRequest(),
            PacketBuilder.udp(srcPort: 1, dstPort: 2, payload: [1, 2, 3]),
            PacketBuilder.tcp(srcPort: 1, dstPort: 2, flags: [.syn]),
        ]
        for frame in frames {
            for length in 0...frame.count {
                #expect(!describe(frame: Array(frame.prefix(length))).isEmpty)
            }
        }
    }

    @Test func neverTrapsOnGarbage() async {
        await propertyCheck(
            count: 300,
            input: Gen.element(of: [EtherType.arp, EtherType.ipv4, EtherType.ipv6, 0x1234]),
            Gen.uint8().array(of: 0...120)
        ) { etherType, body in
            let type = etherType ?? 0
            var payload = body
            // Steer garbage towards the version nibble the parsers look for.
            if !payload.isEmpty, type == EtherType.ipv4 { payload[0] = 0x40 | (payload[0] & 0x0F) }
            if !payload.isEmpty, type == EtherType.ipv6 { payload[0] = 0x60 }
            let frame = PacketBuilder.ethernet(etherType: type, payload: payload)
            #expect(!describe(frame: frame).isEmpty)
        }
    }
}
