import UartTunnelTestSupport
import CLwIP
import Testing
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLwIP
import UartTunnelSystem
import UartTunnelWire

/// One device per test process: lwIP is one global stack, and the tunnel netif owns 192.168.100.2.
/// It listens on an ephemeral loopback port; each test connects as the host's peer. The partial-frame timeout is
/// 300 ms (instead of the seed's 1 s) to keep the suite fast; the 1 s default is covered by the codec tests.
enum DeviceHarness {
    static let frameTimeout: Duration = .milliseconds(300)

    static let device: TunnelDevice = {
        var configuration = DeviceConfiguration()
        configuration.listen = SocketAddress(host: "127.0.0.1", port: 0)
        configuration.frameTimeout = frameTimeout
        let device = try! TunnelDevice(configuration: configuration)
        try! device.start()
        return device
    }()

    /// A fresh peer, returned once the device has accepted it: records the device sends before that go to no
    /// peer, like a UART with nothing attached. The previous test's peer is closed by then (its deinit).
    static func connect() throws -> DevicePeer {
        let accepted = device.link.counters.connections
        let peer = try DevicePeer(connectingTo: device.link.address)
        let deadline = ContinuousClock.now + .seconds(5)
        while device.link.counters.connections == accepted || !device.link.hasPeer {
            try #require(ContinuousClock.now < deadline, "the device did not accept the test's peer")
            pause(.milliseconds(5))
        }
        return peer
    }

    /// Sends `count` UDP datagrams from the device's lwIP to `destination` via the raw API, under the core lock.
    static func sendUDPFromDevice(to destination: IPv4Address, port: UInt16, payload: [UInt8]) {
        withLwIPCore {
            let pcb = udp_new()!
            defer { udp_remove(pcb) }
            var address = ip_addr_t()
            address.u_addr.ip4.addr = destination.value.bigEndian
            address.type = UInt8(IPADDR_TYPE_V4.rawValue)
            let p = pbuf_alloc(PBUF_TRANSPORT, UInt16(payload.count), PBUF_RAM)!
            _ = payload.withUnsafeBytes { pbuf_take(p, $0.baseAddress, UInt16(payload.count)) }
            _ = udp_sendto(pcb, p, &address, port)
            pbuf_free(p)
        }
    }
}

/// All in-process lwIP tests share the device, so they run one at a time.
@Suite(.serialized, .ownThreads) struct DeviceTests {}

/// Frame predicates used across the tests.
enum Match {
    static func arpRequest(for target: IPv4Address) -> ([UInt8]) -> Bool {
        { frame in
            guard let ethernet = EthernetFrame(frame), ethernet.etherType == EtherType.arp,
                  let arp = ARPPacket(ethernet.payload) else { return false }
            return arp.operation == ARPPacket.request && arp.targetIP == target
        }
    }

    static func udp(toPort port: UInt16) -> ([UInt8]) -> Bool {
        { frame in
            guard let ethernet = EthernetFrame(frame), ethernet.etherType == EtherType.ipv4,
                  let ip = IPv4Packet(ethernet.payload), ip.protocol == IPProtocol.udp,
                  let udp = UDPDatagram(ip.payload) else { return false }
            return udp.destinationPort == port
        }
    }
}

