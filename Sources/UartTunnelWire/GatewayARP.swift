import CUartTunnelWire

/// "Is this an ARP request for the gateway?" — the request a static ARP entry for the gateway makes unnecessary, so
/// the device must never put it on the wire. One rule for everyone who asks it: the Swift netif's static ARP
/// (answer it locally), the ESP-IDF host layer's static ARP and TX record probe, and the checks (count it on the
/// wire). All of them go through `CUartTunnelWire_arpRequestTarget`.
///
/// ```
///  0      6      12   14   16   18 19 20   22        28        32        38        42
///  [dst 6][src 6][0806][0001][0800][6][4][0001][sha 6][spa 4][tha 6][tpa 4]
///                                        oper=request   spa ≠ tpa           tpa = gateway
/// ```
/// A gratuitous ARP (sender IP == target IP: a host announcing its own address) is never one.
public enum GatewayARP {
    /// The address an ARP request in `frame` asks for; nil unless `frame` is an Ethernet/IPv4 ARP request
    /// (broadcast or unicast) for another host than its sender.
    public static func requestTarget(_ frame: UnsafeRawBufferPointer) -> IPv4Address? {
        guard let base = frame.baseAddress else { return nil }
        var target: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let found = withUnsafeMutableBytes(of: &target) { raw in
            CUartTunnelWire_arpRequestTarget(
                base.assumingMemoryBound(to: UInt8.self), frame.count, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return found == 1 ? IPv4Address(target.0, target.1, target.2, target.3) : nil
    }

    /// True for an ARP request in `frame` whose target is `gateway`.
    public static func isRequest(_ frame: UnsafeRawBufferPointer, for gateway: IPv4Address) -> Bool {
        requestTarget(frame) == gateway
    }

    /// True for an ARP request in `frame` whose target is `gateway` (the tunnel's 192.168.100.1 unless given).
    public static func isRequest(_ frame: [UInt8], for gateway: IPv4Address = .gateway) -> Bool {
        frame.withUnsafeBytes { isRequest($0, for: gateway) }
    }
}
