/// What a ``RecordDecoder`` reports as it consumes a byte stream.
///
/// Stream offsets count bytes from the first byte ever fed to the decoder, so a log line
/// can be matched against a capture of the raw stream.
public enum DecoderEvent: Equatable, Sendable {
    /// A complete frame, without its two length bytes.
    case frame([UInt8])
    /// A length outside 14...1518. Only its two bytes were consumed; the next byte is read as
    /// a new length high byte, which is how the firmware resynchronises.
    case badLength(Int, streamOffset: Int)
    /// A partial record whose remaining bytes did not arrive in time and was dropped.
    /// `expected` is the announced frame length, or -1 when only the first length byte came;
    /// `received` counts the frame bytes that did arrive.
    case timeout(expected: Int, received: Int, streamOffset: Int)
    /// A partial record dropped by ``RecordDecoder/reset(_:)``, e.g. because the peer went away.
    case discarded(expected: Int, received: Int, streamOffset: Int)
}

extension DecoderEvent: CustomStringConvertible {
    public var description: String {
        switch self {
        case .frame(let bytes):
            "frame \(bytes.count) bytes"
        case .badLength(let length, let offset):
            "invalid frame length \(length) at stream offset \(offset), skipped its 2 length bytes"
        case .timeout(let expected, let received, let offset):
            "incomplete record at stream offset \(offset) timed out: "
                + Self.progress(expected: expected, received: received)
        case .discarded(let expected, let received, let offset):
            "incomplete record at stream offset \(offset) discarded: "
                + Self.progress(expected: expected, received: received)
        }
    }

    private static func progress(expected: Int, received: Int) -> String {
        expected < 0 ? "only 1 of 2 length bytes" : "\(received) of \(expected) frame bytes"
    }
}
