/// A 48-bit Ethernet address. The tunnel's two ends use static, locally administered
/// addresses (bit 1 of the first byte set), so no MAC learning is ever needed.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six bytes in wire order.
    public let bytes: [UInt8]

    /// The device (the ESP32's lwIP netif): 02:00:00:00:00:02.
    public static let device = MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x02)
    /// The host end of the tunnel (the bridge's tun/tap side): 02:00:00:00:00:01.
    public static let host = MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01)
    /// ff:ff:ff:ff:ff:ff, the destination of ARP requests.
    public static let broadcast = MACAddress(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
    /// 00:00:00:00:00:00, the unknown target of an ARP request.
    public static let zero = MACAddress(0, 0, 0, 0, 0, 0)

    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        bytes = [b0, b1, b2, b3, b4, b5]
    }

    /// Six bytes in wire order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 6 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Parses `02:00:00:00:00:02` (also `-` separated, either case).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let groups = parts.count == 6 ? parts : text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for group in groups {
            guard (1...2).contains(group.count), let byte = UInt8(group, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// True for group (multicast and broadcast) addresses: bit 0 of the first byte.
    public var isMulticast: Bool { bytes[0] & 0x01 != 0 }

    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
