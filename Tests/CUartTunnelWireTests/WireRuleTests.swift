import CUartTunnelWire
import Testing

/// The wire rules both drivers call (the Swift wire module and the ESP-IDF host layer), byte for byte.
@Suite struct WireRuleTests {
    static let deviceMAC: [UInt8] = [0x02, 0, 0, 0, 0, 0x02]
    static let hostMAC: [UInt8] = [0x02, 0, 0, 0, 0, 0x01]
    static let device: [UInt8] = [192, 168, 100, 2]
    static let gateway: [UInt8] = [192, 168, 100, 1]

    /// The device's "who-has 192.168.100.1 tell 192.168.100.2", as lwIP sends it.
    static let requestForGateway: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
        0x02, 0, 0, 0, 0, 0x02, 192, 168, 100, 2,
        0, 0, 0, 0, 0, 0, 192, 168, 100, 1,
    ]

    @Test func recordBounds() {
        #expect(CUartTunnelWire_LENGTH_PREFIX == 2)
        #expect(CUartTunnelWire_MIN_FRAME == 14)
        #expect(CUartTunnelWire_MAX_FRAME == 1518)
        for (length, valid) in [(0, false), (13, false), (14, true), (1514, true), (1518, true), (1519, false),
                                (65535, false)] {
            #expect(CUartTunnelWire_validFrameLength(length) == (valid ? 1 : 0), "length \(length)")
        }
    }

    @Test(arguments: [(14, [UInt8](arrayLiteral: 0x00, 0x0E)), (98, [0x00, 0x62]), (256, [0x01, 0x00]),
                      (1518, [0x05, 0xEE])])
    func recordHeaderIsBigEndianLength(length: Int, expected: [UInt8]) {
        var header: [UInt8] = [0xAA, 0xAA]
        #expect(CUartTunnelWire_putRecordHeader(length, &header) == 1)
        #expect(header == expected)
    }

    @Test(arguments: [0, 13, 1519, 65535, 65536])
    func recordHeaderRefusesInvalidLengthsAndWritesNothing(length: Int) {
        var header: [UInt8] = [0xAA, 0xAA]
        #expect(CUartTunnelWire_putRecordHeader(length, &header) == 0)
        #expect(header == [0xAA, 0xAA])
    }

    @Test func arpReplyBytes() {
        var frame = [UInt8](repeating: 0xAA, count: Int(CUartTunnelWire_ARP_FRAME))
        CUartTunnelWire_arpReply(&frame, Self.hostMAC, Self.gateway, Self.deviceMAC, Self.device)
        #expect(frame == [
            0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06,  // to the device, from the host, ARP
            0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,  // Ethernet/IPv4, reply
            0x02, 0, 0, 0, 0, 0x01, 192, 168, 100, 1,  // sender: the gateway is-at the host MAC
            0x02, 0, 0, 0, 0, 0x02, 192, 168, 100, 2,  // target: the device
        ])
    }

    @Test func arpPacketBytes() {
        var packet = [UInt8](repeating: 0xAA, count: Int(CUartTunnelWire_ARP_PACKET))
        CUartTunnelWire_putARP(&packet, 1, Self.deviceMAC, Self.device, [0, 0, 0, 0, 0, 0], Self.gateway)
        #expect(packet == Array(Self.requestForGateway[14...]))
    }

    func target(of frame: [UInt8], length: Int? = nil) -> [UInt8]? {
        var target: [UInt8] = [0, 0, 0, 0]
        let found = CUartTunnelWire_arpRequestTarget(frame, length ?? frame.count, &target)
        return found == 1 ? target : nil
    }

    @Test func requestForTheGatewayNamesItsTarget() {
        #expect(target(of: Self.requestForGateway) == Self.gateway)
        // unicast (lwIP's re-request near the end of an entry's life) and padded to 60 bytes: the same
        var unicast = Self.requestForGateway
        unicast.replaceSubrange(0..<6, with: Self.hostMAC)
        #expect(target(of: unicast + [UInt8](repeating: 0, count: 18)) == Self.gateway)
    }

    @Test func gratuitousARPIsNeverARequestForAnyone() {
        var gratuitous = Self.requestForGateway
        gratuitous.replaceSubrange(38..<42, with: Self.device)  // sender IP == target IP
        #expect(target(of: gratuitous) == nil)
    }

    @Test func replyIsNotARequest() {
        var reply = [UInt8](repeating: 0, count: 42)
        CUartTunnelWire_arpReply(&reply, Self.hostMAC, Self.gateway, Self.deviceMAC, Self.device)
        #expect(target(of: reply) == nil)
        var operationTwo = Self.requestForGateway
        operationTwo[21] = 0x02
        #expect(target(of: operationTwo) == nil)
    }

    @Test func requestForAnotherHostNamesThatHost() {
        var other = Self.requestForGateway
        other.replaceSubrange(38..<42, with: [192, 168, 100, 77])
        #expect(target(of: other) == [192, 168, 100, 77])
    }

    @Test func truncatedOrForeignFramesAreNotRequests() {
        #expect(target(of: Array(Self.requestForGateway.prefix(41))) == nil)
        #expect(target(of: Self.requestForGateway, length: 41) == nil)
        #expect(target(of: []) == nil)
        var ipv4 = Self.requestForGateway
        ipv4[13] = 0x00  // EtherType 0x0800
        #expect(target(of: ipv4) == nil)
        var ipv6Protocol = Self.requestForGateway
        ipv6Protocol[16] = 0x86; ipv6Protocol[17] = 0xDD
        #expect(target(of: ipv6Protocol) == nil)
        var longAddresses = Self.requestForGateway
        longAddresses[18] = 8
        #expect(target(of: longAddresses) == nil)
    }
}
