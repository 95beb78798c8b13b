/// Why a frame can not be put on the wire.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame's length is outside ``WireFormat/validFrameLengths``; the firmware would skip it.
    case frameLength(Int)

    public var description: String {
        switch self {
        case .frameLength(let length):
            "frame length \(length) is invalid: a tunnel frame must be "
                + "\(WireFormat.minFrameLength)...\(WireFormat.maxFrameLength) bytes "
                + "(an Ethernet header, up to the firmware's receive buffer)"
        }
    }
}
