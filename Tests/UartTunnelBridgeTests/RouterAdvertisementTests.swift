import Foundation
import Testing
import UartTunnelChecks
import UartTunnelWire

/// A device must not be able to rewrite the host's routing: one IPv6 Router Advertisement from the device side used
/// to install a default route and an address on tun0 (accept_ra is 1 by default). The bridge now sets accept_ra=0
/// and autoconf=0 on its interface; `--accept-ra` restores the kernel's behaviour (the control that shows the RA
/// used here really would change the host).
@Suite(.enabled(if: NetworkNamespace.unavailableReason == nil,
                "router-advertisement test needs root: \(NetworkNamespace.unavailableReason ?? "")"))
struct RouterAdvertisementTests {
    /// fe80::ff:fe00:2, the device's EUI-64 link-local address.
    static let deviceLinkLocal: [UInt8] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0, 0x02]
    static let allNodes: [UInt8] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]

    /// A Router Advertisement from the device: default router for 1800 s, prefix 2001:db8:1::/64 on-link and
    /// autonomous (SLAAC), and the device's link-layer address.
    static func routerAdvertisement() -> [UInt8] {
        var icmp: [UInt8] = [134, 0, 0, 0, 64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0]
        icmp += [3, 4, 64, 0xC0, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x38, 0x40, 0, 0, 0, 0]
        icmp += [0x20, 0x01, 0x0d, 0xb8, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        icmp += [1, 1] + MACAddress.device.bytes
        let length = UInt16(icmp.count)
        let pseudo = deviceLinkLocal + allNodes + [0, 0, UInt8(length >> 8), UInt8(length & 0xff), 0, 0, 0, 58] + icmp
        let checksum = InternetChecksum.compute(pseudo)
        icmp[2] = UInt8(checksum >> 8)
        icmp[3] = UInt8(checksum & 0xff)
        let ipv6: [UInt8] = [0x60, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xff), 58, 255] + deviceLinkLocal + allNodes
        return PacketBuilder.ethernet(destination: MACAddress(0x33, 0x33, 0, 0, 0, 1), source: .device,
                                      etherType: 0x86DD, payload: ipv6 + icmp)
    }

    /// Starts a bridge between a fake device and tun0 in a fresh namespace, sends the RA, and returns tun0's IPv6
    /// routes and addresses once the kernel has handled it.
    private func afterRouterAdvertisement(bridgeFlags: [String], waitFor: String?) throws -> (routes: String, addresses: String, acceptRA: String) {
        let namespace = try NetworkNamespace(tag: "ra")
        let device = try FakeDevice(namespace: namespace.name)
        let bridge = try namespace.start([BuiltExecutable.uartTunnel, "bridge", "--connect", "\(device.address)",
                                          "--ifname", "tun0"] + bridgeFlags)
        defer { _ = bridge.terminate() }
        try #require(device.waitForConnections(1, timeout: .seconds(10)), "the bridge connected: \(bridge.output)")
        try #require(bridge.waitForOutput(containing: "tun0", timeout: .seconds(10)), "\(bridge.output)")
        func show() throws -> (String, String) {
            (try namespace.run(["ip", "-6", "route", "show", "dev", "tun0"]).output,
             try namespace.run(["ip", "-6", "addr", "show", "dev", "tun0"]).output)
        }
        try device.send(raw: RecordEncoder.encode(Self.routerAdvertisement()))
        // The kernel handles frames from the tap in order: once it has answered a ping sent after the RA, the RA
        // has been handled too.
        try device.send(raw: RecordEncoder.encode(PacketBuilder.icmpEchoRequest(
            srcMAC: .device, dstMAC: .host, srcIP: .device, dstIP: .gateway, identifier: 0x4A, sequence: 1)))
        var answered = false
        for _ in 0..<100 where !answered {
            answered = device.received.contains { received in
                received.frame.count > 38 && received.frame[12] == 0x08 && received.frame[13] == 0x00
                    && received.frame[23] == 1 && received.frame[34] == 0 && received.frame[38] == 0 && received.frame[39] == 0x4A
            }
            if !answered { Thread.sleep(forTimeInterval: 0.05) }
        }
        try #require(answered, "the host answered the ping sent after the RA")
        var (routes, addresses) = try show()
        if let waitFor {
            for _ in 0..<100 where !routes.contains(waitFor) {
                Thread.sleep(forTimeInterval: 0.05)
                (routes, addresses) = try show()
            }
        }
        let acceptRA = try namespace.run(["sysctl", "-n", "net.ipv6.conf.tun0.accept_ra"]).output
        return (routes, addresses, acceptRA.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func aDevicesRouterAdvertisementChangesNothingOnTheHost() throws {
        let result = try afterRouterAdvertisement(bridgeFlags: [], waitFor: nil)
        #expect(result.acceptRA == "0")
        #expect(!result.routes.contains("default"), "\(result.routes)")
        #expect(!result.addresses.contains("2001:db8:1:"), "\(result.addresses)")
    }

    @Test func withAcceptRATheSameAdvertisementInstallsARoute() throws {
        let result = try afterRouterAdvertisement(bridgeFlags: ["--accept-ra"], waitFor: "default")
        #expect(result.acceptRA == "1")
        #expect(result.routes.contains("default via fe80::ff:fe00:2"), "\(result.routes)")
    }
}
