/// Why a frame can not be put on the wire.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame's length is outside ``WireFormat/validFrameLengths``; the firmware would skip it.
    case frameLength(Int)
    /// The same for an end with a jumbo limit (`--max-frame`): outside 14...`limit`.
    case frameLengthOverLimit(Int, limit: Int)

    public var description: String {
        switch self {
        case .frameLength(let length):
            "frame length \(length) is invalid: a tunnel frame must be "
                + "\(WireFormat.minFrameLength)...\(WireFormat.maxFrameLength) bytes "
                + "(an Ethernet header, up to the firmware's receive buffer)"
        case .frameLengthOverLimit(let length, let limit):
            "frame length \(length) is invalid: a tunnel frame must be \(WireFormat.minFrameLength)...\(limit) bytes "
                + "(the --max-frame of this end)"
        }
    }
}
