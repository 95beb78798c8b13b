/// A read-only view of an ICMP echo request or reply (what `ping` sends and lwIP answers).
///
/// ```
///  0        8        16                32
///  +--------+--------+-----------------+
///  | type   | code   | checksum        |
///  +--------+--------+-----------------+
///  | identifier      | sequence        |
///  +-----------------+-----------------+
///  | data ...                          |
/// ```
public struct ICMPEcho: Sendable {
    public static let requestType: UInt8 = 8
    public static let replyType: UInt8 = 0

    public let type: UInt8
    public let code: UInt8
    public let checksum: UInt16
    public let identifier: UInt16
    public let sequence: UInt16
    public let payload: ArraySlice<UInt8>
    /// The whole message, checksum included, sums to zero.
    public let checksumValid: Bool

    public var isRequest: Bool { type == Self.requestType }

    /// Nil unless the bytes hold an echo request or reply with its full 8-byte header.
    public init?(_ bytes: some Collection<UInt8>) {
        let message = Array(bytes)[...]
        guard let type = message.u8(at: 0), type == Self.requestType || type == Self.replyType,
            let code = message.u8(at: 1), let checksum = message.u16(at: 2),
            let identifier = message.u16(at: 4), let sequence = message.u16(at: 6)
        else { return nil }
        self.type = type
        self.code = code
        self.checksum = checksum
        self.identifier = identifier
        self.sequence = sequence
        self.payload = message.tail(from: 8)
        self.checksumValid = InternetChecksum.compute(message) == 0
    }
}
