import CLwIP
import CLwIPShims
import Testing
import UartTunnelLwIP
import UartTunnelWire

extension DeviceTests {
    /// The firmware's static entry means the gateway is never ARPed on the wire: not at first use, not at the
    /// re-request lwIP makes for an entry in use at 270 s, not after ARP_MAXAGE (300 s) expired it.
    /// etharp_tmr() is driven well past 300 s of ticks, with traffic and without.
    @Test func gatewayIsNeverARPedOnTheWireEvenPastARPMaxAge() throws {
        #expect(LwIPStack.arpMaxAge == 300)
        #expect(!LwIPStack.hasStaticARPEntries, "Debian's liblwip has no etharp_add_static_entry")
        let peer = try DeviceHarness.connect()
        let netif = DeviceHarness.device.netif!
        let answeredBefore = netif.counters.gatewayARPAnswered

        // Each round: age the table, then make the device talk to the gateway and see the datagram arrive
        // addressed to the host MAC. 280 s lands in the re-request window of an entry in use; 400 s of
        // silence lets the entry expire entirely.
        for (round, seconds) in [280, 280, 400, 700].enumerated() {
            LwIPStack.advanceARPClock(seconds: seconds)
            let port = UInt16(40_000 + round)
            DeviceHarness.sendUDPFromDevice(to: .gateway, port: port, payload: Array("round \(round)".utf8))
            let datagram = try #require(try peer.receiveFrame(within: .seconds(5), matching: Match.udp(toPort: port)),
                                        "round \(round): no datagram to the gateway after \(seconds) s of ARP aging")
            #expect(EthernetFrame(datagram)?.destination == .host)
        }
        // A ping answered after the last round: everything the device sent before it is in `seen`, the frames
        // receiveFrame skipped included (an ARP request would go out before the datagram it holds back).
        try #require(try peer.ping(identifier: 0xA4F, sequence: 1) != nil)

        let leaked = peer.seen.filter(Match.arpRequest(for: .gateway))
        #expect(leaked.isEmpty, "ARP requests for the gateway reached the wire: \(leaked.map { describe(frame: $0) })")
        // lwIP did ask (the entry expired at least once), and each request was answered locally.
        #expect(netif.counters.gatewayARPAnswered > answeredBefore)

        var mac = [UInt8](repeating: 0, count: 6)
        var gateway = ip4_addr_t(addr: IPv4Address.gateway.value.bigEndian)
        #expect(CLwIPShims_arpLookup(netif.netif, &gateway, &mac) == 1)
        #expect(mac == MACAddress.host.bytes)
    }

    /// A pbuf chain (lwIP puts the UDP/IP headers in a pbuf of their own in front of a PBUF_REF payload) leaves
    /// linkoutput as one record holding the whole chain.
    @Test func chainedPbufBecomesOneRecord() throws {
        let peer = try DeviceHarness.connect()
        let netif = DeviceHarness.device.netif!
        let chainedBefore = netif.counters.txChainedFrames
        let payload = Array("a PBUF_REF payload that lwIP chains behind its headers".utf8)

        payload.withUnsafeBytes { bytes in
            withLwIPCore {
                let pcb = udp_new()!
                defer { udp_remove(pcb) }
                var address = ip_addr_t()
                address.u_addr.ip4.addr = IPv4Address.gateway.value.bigEndian
                address.type = UInt8(IPADDR_TYPE_V4.rawValue)
                let p = pbuf_alloc(PBUF_TRANSPORT, UInt16(bytes.count), PBUF_REF)!
                p.pointee.payload = UnsafeMutableRawPointer(mutating: bytes.baseAddress!)
                #expect(udp_sendto(pcb, p, &address, 4242) == err_t(ERR_OK.rawValue))
                pbuf_free(p)
            }
        }

        let frame = try #require(try peer.receiveFrame(within: .seconds(5), matching: Match.udp(toPort: 4242)))
        #expect(frame.count == 14 + 20 + 8 + payload.count)
        let ethernet = try #require(EthernetFrame(frame))
        #expect(ethernet.destination == .host)
        #expect(ethernet.source == .device)
        let ip = try #require(IPv4Packet(ethernet.payload))
        #expect(ip.headerChecksumValid)
        #expect(ip.source == .device && ip.destination == .gateway)
        let udp = try #require(UDPDatagram(ip.payload))
        #expect(Array(udp.payload) == payload)
        #expect(udp.checksumValid(source: .device, destination: .gateway))
        #expect(netif.counters.txChainedFrames == chainedBefore + 1)
    }
}
