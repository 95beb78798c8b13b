/// An IPv4 address. `value` is in host order so masks and comparisons read naturally;
/// `bytes` is the wire (network) order.
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address as a number, most significant byte first: 192.168.100.2 is 0xC0A8_6402.
    public let value: UInt32

    /// The device's address, 192.168.100.2.
    public static let device = IPv4Address(192, 168, 100, 2)
    /// The host end of the tunnel and the device's gateway, 192.168.100.1.
    public static let gateway = IPv4Address(192, 168, 100, 1)
    /// The tunnel subnet's mask, 255.255.255.0.
    public static let netmask = IPv4Address(255, 255, 255, 0)
    /// 0.0.0.0
    public static let any = IPv4Address(value: 0)

    public init(value: UInt32) {
        self.value = value
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Four bytes in network order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses strict dotted-quad text such as `192.168.100.2`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt8(part)
            else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    public var description: String {
        bytes.map(String.init).joined(separator: ".")
    }
}
