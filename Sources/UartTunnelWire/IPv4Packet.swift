/// A read-only view of an IPv4 packet, tolerant of truncation, for tests and reports.
///
/// ```
///  0       4       8               16    19                       32
///  +-------+-------+---------------+-----+-------------------------+
///  |version|  IHL  |   DSCP/ECN    |        total length           |
///  +-------+-------+---------------+-----+-------------------------+
///  |        identification         |flags|     fragment offset     |
///  +---------------+---------------+-----+-------------------------+
///  |      TTL      |   protocol    |       header checksum         |
///  +---------------+---------------+-------------------------------+
///  |                        source address                         |
///  +---------------------------------------------------------------+
///  |                      destination address                      |
///  +---------------------------------------------------------------+
///  |                  options (IHL > 5) ... payload                |
/// ```
public struct IPv4Packet: Sendable {
    /// The bytes given to `init`, including any Ethernet padding after the packet.
    public let bytes: ArraySlice<UInt8>
    public let version: UInt8
    /// Header length in bytes (IHL × 4).
    public let headerLength: Int
    /// The total length the header announces.
    public let totalLength: Int
    public let identification: UInt16
    public let dontFragment: Bool
    public let moreFragments: Bool
    /// Offset of this fragment in bytes.
    public let fragmentOffset: Int
    public let ttl: UInt8
    public let `protocol`: UInt8
    public let headerChecksum: UInt16
    public let source: IPv4Address
    public let destination: IPv4Address
    /// The header, checksum included, sums to zero.
    public let headerChecksumValid: Bool
    /// The bytes after the header up to `totalLength`, or fewer if the packet was cut short.
    public let payload: ArraySlice<UInt8>
    /// Fewer bytes arrived than `totalLength` announces.
    public let isTruncated: Bool

    /// Nil unless the bytes start with a complete IPv4 header whose lengths are consistent.
    public init?(_ payload: some Collection<UInt8>) {
        let bytes = Array(payload)[...]
        guard let first = bytes.u8(at: 0), first >> 4 == 4 else { return nil }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20, let header = bytes.bytes(at: 0, length: headerLength),
            let totalLength = bytes.u16(at: 2).map(Int.init), totalLength >= headerLength,
            let fragment = bytes.u16(at: 6)
        else { return nil }
        self.bytes = bytes
        self.version = 4
        self.headerLength = headerLength
        self.totalLength = totalLength
        self.identification = bytes.u16(at: 4)!
        self.dontFragment = fragment & 0x4000 != 0
        self.moreFragments = fragment & 0x2000 != 0
        self.fragmentOffset = Int(fragment & 0x1FFF) * 8
        self.ttl = bytes.u8(at: 8)!
        self.protocol = bytes.u8(at: 9)!
        self.headerChecksum = bytes.u16(at: 10)!
        self.source = IPv4Address(value: bytes.u32(at: 12)!)
        self.destination = IPv4Address(value: bytes.u32(at: 16)!)
        self.headerChecksumValid = InternetChecksum.compute(header) == 0
        self.isTruncated = bytes.count < totalLength
        self.payload = bytes.tail(from: headerLength).prefix(totalLength - headerLength)
    }
}
