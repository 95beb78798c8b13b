/// TCP header flags, printed the way tcpdump prints them (`[S.]` for SYN+ACK).
public struct TCPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)

    public var description: String {
        let letters: [(TCPFlags, Character)] = [
            (.fin, "F"), (.syn, "S"), (.rst, "R"), (.psh, "P"), (.ack, "."), (.urg, "U"), (.ece, "E"), (.cwr, "W"),
        ]
        let text = String(letters.filter { contains($0.0) }.map(\.1))
        return "[" + (text.isEmpty ? "none" : text) + "]"
    }
}

/// A read-only view of a TCP segment.
///
/// ```
///  0                 16                32
///  +-----------------+-----------------+
///  | source port     | dest port       |
///  +-----------------+-----------------+
///  | sequence number                   |
///  +-----------------------------------+
///  | acknowledgment number             |
///  +----+------+-----+-----------------+
///  |off | rsvd |flags| window          |   off = header length / 4
///  +----+------+-----+-----------------+
///  | checksum        | urgent pointer  |
///  +-----------------+-----------------+
///  | options ... data ...              |
/// ```
public struct TCPSegment: Sendable {
    public static let minimumHeaderLength = 20

    /// The segment as given, header included.
    public let bytes: ArraySlice<UInt8>
    public let sourcePort: UInt16
    public let destinationPort: UInt16
    public let sequenceNumber: UInt32
    public let acknowledgmentNumber: UInt32
    /// Header length in bytes, options included.
    public let headerLength: Int
    public let flags: TCPFlags
    public let window: UInt16
    public let checksum: UInt16
    public let payload: ArraySlice<UInt8>

    /// Nil unless the full header, options included, is there.
    public init?(_ bytes: some Collection<UInt8>) {
        let segment = Array(bytes)[...]
        guard let offset = segment.u8(at: 12) else { return nil }
        let headerLength = Int(offset >> 4) * 4
        guard headerLength >= Self.minimumHeaderLength, segment.count >= headerLength else { return nil }
        self.bytes = segment
        sourcePort = segment.u16(at: 0)!
        destinationPort = segment.u16(at: 2)!
        sequenceNumber = segment.u32(at: 4)!
        acknowledgmentNumber = segment.u32(at: 8)!
        self.headerLength = headerLength
        flags = TCPFlags(rawValue: segment.u8(at: 13)!)
        window = segment.u16(at: 14)!
        checksum = segment.u16(at: 16)!
        payload = segment.tail(from: headerLength)
    }

    /// Verifies the checksum over the IPv4 pseudo-header and the whole segment.
    public func checksumValid(source: IPv4Address, destination: IPv4Address) -> Bool {
        let pseudo = InternetChecksum.pseudoHeaderSum(
            source: source, destination: destination, protocol: IPProtocol.tcp, length: bytes.count)
        return InternetChecksum.finish(InternetChecksum.sum(bytes, initial: pseudo)) == 0
    }
}
