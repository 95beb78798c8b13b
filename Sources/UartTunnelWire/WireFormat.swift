/// The tunnel's record layout, as the ESP32 firmware's UART driver reads and writes it.
///
/// ```
///  record:  +--------+--------+--------------------------------------------+
///           | len_hi | len_lo |  Ethernet frame (exactly `len` bytes)       |
///           +--------+--------+--------------------------------------------+
///            u16 big-endian
///
///  frame:   +-------------+-------------+---------+-------------------------+
///           |  dst MAC 6  |  src MAC 6  | type 2  |  payload                |
///           +-------------+-------------+---------+-------------------------+
/// ```
///
/// A frame shorter than an Ethernet header, or longer than the firmware's 1518-byte
/// receive buffer, is invalid: the firmware skips only its two length bytes.
public enum WireFormat {
    /// Bytes of the big-endian length that precedes every frame.
    public static let lengthPrefixSize = 2
    /// An Ethernet header and nothing else.
    public static let minFrameLength = 14
    /// The firmware's `MAX_ETH_FRAME_SIZE`: a 1514-byte frame plus room for a VLAN tag or FCS.
    public static let maxFrameLength = 1518
    /// Every frame length the firmware accepts.
    public static let validFrameLengths: ClosedRange<Int> = 14...1518
}
