/// A read-only view of a UDP datagram.
///
/// ```
///  0                 16                32
///  +-----------------+-----------------+
///  | source port     | dest port       |
///  +-----------------+-----------------+
///  | length          | checksum        |   length covers header + data
///  +-----------------+-----------------+
///  | data ...                          |
/// ```
public struct UDPDatagram: Sendable {
    public static let headerLength = 8

    /// The datagram as given, header included.
    public let bytes: ArraySlice<UInt8>
    public let sourcePort: UInt16
    public let destinationPort: UInt16
    public let length: Int
    public let checksum: UInt16
    /// The data, bounded by `length` when that is consistent.
    public let payload: ArraySlice<UInt8>

    /// Nil unless the full 8-byte header is there.
    public init?(_ bytes: some Collection<UInt8>) {
        let datagram = Array(bytes)[...]
        guard let sourcePort = datagram.u16(at: 0), let destinationPort = datagram.u16(at: 2),
            let length = datagram.u16(at: 4), let checksum = datagram.u16(at: 6)
        else { return nil }
        self.bytes = datagram
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = Int(length)
        self.checksum = checksum
        self.payload = datagram.tail(from: Self.headerLength).prefix(max(0, Int(length) - Self.headerLength))
    }

    /// Verifies the checksum over the IPv4 pseudo-header; a zero checksum means "none sent".
    public func checksumValid(source: IPv4Address, destination: IPv4Address) -> Bool {
        guard checksum != 0 else { return true }
        guard length >= Self.headerLength, let datagram = bytes.bytes(at: 0, length: length) else { return false }
        let pseudo = InternetChecksum.pseudoHeaderSum(
            source: source, destination: destination, protocol: IPProtocol.udp, length: length)
        return InternetChecksum.finish(InternetChecksum.sum(datagram, initial: pseudo)) == 0
    }
}
