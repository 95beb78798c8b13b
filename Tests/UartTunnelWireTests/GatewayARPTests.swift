import Testing
import UartTunnelWire

/// `GatewayARP`: the one "is this an ARP request for the gateway" both drivers and the checks ask.
@Suite struct GatewayARPTests {
    /// lwIP's "who-has 192.168.100.1 tell 192.168.100.2" from the device.
    static let request: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
        0x02, 0, 0, 0, 0, 0x02, 192, 168, 100, 2,
        0, 0, 0, 0, 0, 0, 192, 168, 100, 1,
    ]

    @Test func requestForTheGateway() {
        #expect(PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .gateway) == Self.request)
        #expect(GatewayARP.isRequest(Self.request))
        #expect(GatewayARP.isRequest(Self.request, for: .gateway))
        #expect(Self.request.withUnsafeBytes { GatewayARP.requestTarget($0) } == .gateway)
    }

    @Test func gratuitousARPIsNotOne() {
        let gratuitous = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .gateway, targetIP: .gateway)
        #expect(Array(gratuitous[28..<32]) == [192, 168, 100, 1] && Array(gratuitous[38..<42]) == [192, 168, 100, 1])
        #expect(!GatewayARP.isRequest(gratuitous))
        let announce = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .device)
        #expect(!GatewayARP.isRequest(announce, for: .device))
    }

    @Test func replyIsNotOne() {
        #expect(!GatewayARP.isRequest(PacketBuilder.arpReply()))
        #expect(!GatewayARP.isRequest(
            PacketBuilder.arpReply(senderMAC: .device, senderIP: .device, targetMAC: .host, targetIP: .gateway)))
    }

    @Test func requestForAnotherTargetIsNotOne() {
        let other = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: IPv4Address(192, 168, 100, 77))
        #expect(!GatewayARP.isRequest(other))
        #expect(GatewayARP.isRequest(other, for: IPv4Address(192, 168, 100, 77)))
        #expect(!GatewayARP.isRequest(Self.request, for: IPv4Address(10, 0, 0, 1)))
    }

    @Test func truncatedOrNonARPFrameIsNotOne() {
        #expect(!GatewayARP.isRequest(Array(Self.request.prefix(41))))
        #expect(!GatewayARP.isRequest([]))
        #expect(!GatewayARP.isRequest(PacketBuilder.icmpEchoRequest(srcIP: .device, dstIP: .gateway)))
    }

    /// The reply static ARP feeds the device, byte for byte (the ESP-IDF host layer builds it with the same C).
    @Test func arpReplyBytes() {
        #expect(PacketBuilder.arpReply() == [
            0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06,
            0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
            0x02, 0, 0, 0, 0, 0x01, 192, 168, 100, 1,
            0x02, 0, 0, 0, 0, 0x02, 192, 168, 100, 2,
        ])
        let arp = ARPPacket(operation: ARPPacket.request, senderMAC: .device, senderIP: .device, targetMAC: .zero,
                            targetIP: .gateway)
        #expect(arp.bytes == Array(Self.request[14...]))
    }
}
