import Testing
import UartTunnelBridge
import UartTunnelWire

@Suite struct TunFramingTests {
    let subnet = InterfaceAddress(address: .gateway, prefixLength: 24)
    var tun: TunFraming { TunFraming(mode: .tun, subnet: subnet) }
    var tap: TunFraming { TunFraming(mode: .tap, subnet: subnet) }

    @Test func tapPassesFramesUnchangedBothWays() {
        let frame = PacketBuilder.arpRequest()
        #expect(tap.toDevice(frame) == frame)
        #expect(tap.fromDevice(frame) == .deliver(frame))
    }

    @Test func tunAddsHeaderWithEtherTypeFromVersionNibble() {
        let v4: [UInt8] = [0x45] + [UInt8](repeating: 0, count: 19)
        let v6: [UInt8] = [0x60] + [UInt8](repeating: 0, count: 39)
        let frame4 = tun.toDevice(v4)!
        #expect(Array(frame4[0..<6]) == MACAddress.device.bytes)
        #expect(Array(frame4[6..<12]) == MACAddress.host.bytes)
        #expect(Array(frame4[12..<14]) == [0x08, 0x00])
        #expect(Array(frame4[14...]) == v4)
        #expect(Array(tun.toDevice(v6)![12..<14]) == [0x86, 0xDD])
        #expect(tun.toDevice([]) == nil)
        #expect(tun.toDevice([0x50, 0]) == nil)
    }

    @Test func tunStripsHeaderFromIPFrames() {
        let packet: [UInt8] = [0x45] + [UInt8](repeating: 7, count: 27)
        let frame = PacketBuilder.ethernet(destination: .host, source: .device, etherType: EtherType.ipv4, payload: packet)
        #expect(tun.fromDevice(frame) == .deliver(packet))
        let frame6 = PacketBuilder.ethernet(destination: .host, source: .device, etherType: EtherType.ipv6, payload: packet)
        #expect(tun.fromDevice(frame6) == .deliver(packet))
    }

    @Test func tunAnswersARPForSubnetAddressesFromHostMAC() throws {
        let request = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .gateway)
        guard case .reply(let reply) = tun.fromDevice(request) else { Issue.record("no reply"); return }
        let frame = try #require(EthernetFrame(reply))
        #expect(frame.destination == .device)
        #expect(frame.source == .host)
        #expect(frame.etherType == EtherType.arp)
        let arp = try #require(ARPPacket(frame.payload))
        #expect(arp.operation == ARPPacket.reply)
        #expect(arp.senderMAC == .host)
        #expect(arp.senderIP == .gateway)
        #expect(arp.targetMAC == .device)
        #expect(arp.targetIP == .device)
        // Any other subnet address is claimed too: the kernel routes it.
        let other = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: IPv4Address(192, 168, 100, 77))
        guard case .reply = tun.fromDevice(other) else { Issue.record("no reply for .77"); return }
    }

    @Test func tunIgnoresGratuitousRepliesAndForeignARP() {
        let gratuitous = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .device)
        #expect(tun.fromDevice(gratuitous) == .ignoreARP)
        let reply = PacketBuilder.arpReply(senderMAC: .device, senderIP: .device, targetMAC: .host, targetIP: .gateway)
        #expect(tun.fromDevice(reply) == .ignoreARP)
        let foreign = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: IPv4Address(10, 0, 0, 1))
        #expect(tun.fromDevice(foreign) == .ignoreARP)
        let broadcast = PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: IPv4Address(192, 168, 100, 255))
        #expect(tun.fromDevice(broadcast) == .ignoreARP)
    }

    @Test func tunDropsOtherEtherTypes() {
        let lldp = PacketBuilder.ethernet(destination: .broadcast, source: .device, etherType: 0x88CC, payload: [0, 0])
        #expect(tun.fromDevice(lldp) == .dropNonIP(etherType: 0x88CC))
    }
}

@Suite struct InterfaceAddressTests {
    @Test func parsesAndComputesNetmask() throws {
        let address = try InterfaceAddress(parsing: "192.168.100.1/24")
        #expect(address.address == .gateway)
        #expect(address.netmask == IPv4Address(255, 255, 255, 0))
        #expect(address.contains(.device))
        #expect(!address.contains(IPv4Address(192, 168, 101, 2)))
        #expect(try InterfaceAddress(parsing: "10.0.0.1/30").netmask == IPv4Address(255, 255, 255, 252))
    }

    @Test(arguments: ["192.168.100.1", "192.168.100.1/", "192.168.100.1/0", "192.168.100.1/31", "300.1.1.1/24", "a/24"])
    func rejects(_ text: String) {
        #expect(throws: (any Error).self) { try InterfaceAddress(parsing: text) }
    }
}

@Suite struct ReconnectBackoffTests {
    @Test func doublesFrom100msTo2sAndLogsFirstAndEveryTenth() {
        var backoff = ReconnectBackoff()
        var delays: [Duration] = []
        var logged: [Int] = []
        for _ in 1...25 {
            delays.append(backoff.failed())
            if backoff.shouldLog { logged.append(backoff.failures) }
        }
        #expect(Array(delays.prefix(7)) == [.milliseconds(100), .milliseconds(200), .milliseconds(400),
                                            .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2)])
        #expect(logged == [1, 10, 20])
        backoff.succeeded()
        #expect(backoff.failed() == .milliseconds(100))
    }
}
