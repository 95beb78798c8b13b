import CUartTunnelWire

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
/// receive buffer (up to 9018 where every end opts into jumbo frames), is invalid: the firmware skips only its
/// two length bytes.
///
/// The numbers and the check live in `CUartTunnelWire` (C), which the ESP-IDF host layer's TX record probe uses too:
/// one home for the bounds.
public enum WireFormat {
    /// Bytes of the big-endian length that precedes every frame.
    public static let lengthPrefixSize = Int(CUartTunnelWire_LENGTH_PREFIX)
    /// An Ethernet header and nothing else.
    public static let minFrameLength = Int(CUartTunnelWire_MIN_FRAME)
    /// The firmware's `MAX_ETH_FRAME_SIZE`: a 1514-byte frame plus room for a VLAN tag or FCS.
    public static let maxFrameLength = Int(CUartTunnelWire_MAX_FRAME)
    /// Every frame length the firmware accepts (14...1518).
    public static let validFrameLengths: ClosedRange<Int> = minFrameLength...maxFrameLength
    /// The largest limit an end may opt into: a 9000-byte jumbo MTU + 14 + 4.
    public static let maxJumboFrameLength = Int(CUartTunnelWire_MAX_JUMBO_FRAME)
    /// Limits an end may be configured with (`--max-frame`): the default up to jumbo.
    public static let maxFrameLimits: ClosedRange<Int> = maxFrameLength...maxJumboFrameLength

    /// Whether a `length`-byte frame may travel to an end whose limit is `maxFrame` (``maxFrameLimits``); the
    /// rule is `CUartTunnelWire_validFrameLengthUpTo`, which the ESP-IDF host layer shares.
    public static func isValidFrameLength(_ length: Int, maxFrame: Int = maxFrameLength) -> Bool {
        length >= 0 && CUartTunnelWire_validFrameLengthUpTo(length, maxFrame) == 1
    }

    /// The MTU of a netif or interface whose frames may be `maxFrame` bytes: 1500 for 1518, 9000 for 9018 (the
    /// 14-byte Ethernet header and 4 bytes of room for a VLAN tag or FCS come off).
    public static func mtu(forMaxFrame maxFrame: Int) -> Int { maxFrame - 18 }
}
