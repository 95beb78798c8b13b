/// EtherType values that the tunnel carries or that reports name.
public enum EtherType {
    public static let ipv4: UInt16 = 0x0800
    public static let arp: UInt16 = 0x0806
    public static let ipv6: UInt16 = 0x86DD
}

/// A read-only view of an Ethernet frame as it travels inside a tunnel record.
///
/// ```
///  0                 6                 12        14
///  +-----------------+-----------------+---------+------------------+
///  | destination MAC | source MAC      | type    | payload ...      |
///  +-----------------+-----------------+---------+------------------+
/// ```
public struct EthernetFrame: Sendable {
    /// Bytes of the header before the payload.
    public static let headerLength = 14

    /// The whole frame.
    public let bytes: [UInt8]

    /// Nil when `bytes` is too short for an Ethernet header.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    public var destination: MACAddress { MACAddress(bytes: bytes[0..<6])! }
    public var source: MACAddress { MACAddress(bytes: bytes[6..<12])! }
    public var etherType: UInt16 { UInt16(bytes[12]) << 8 | UInt16(bytes[13]) }
    /// Everything after the header, including any padding up to the 60-byte minimum.
    public var payload: ArraySlice<UInt8> { bytes[Self.headerLength...] }
}
