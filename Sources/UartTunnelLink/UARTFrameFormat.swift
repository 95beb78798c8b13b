import UartTunnelWire

/// A UART character format such as `8N1`: data bits, parity, stop bits. Every character also has one start
/// bit, so 8N1 takes 10 bit times per byte, 8E1 11, 8N2 11, 7E1 10.
///
/// ```
///  8N1:  idle ‾‾|S|d0|d1|d2|d3|d4|d5|d6|d7|P?|stop|‾‾ idle
///              1  +     data bits      + parity + stop bits = bit times per byte
/// ```
public struct UARTFrameFormat: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public enum Parity: String, Sendable, Codable, CaseIterable {
        case none = "N", even = "E", odd = "O", mark = "M", space = "S"
    }

    /// 5...9 data bits.
    public let dataBits: Int
    public let parity: Parity
    /// Stop bits in half-bit units: 2 (1 stop bit), 3 (1.5) or 4 (2).
    public let stopHalfBits: Int

    /// The seed's UART: 8 data bits, no parity, 1 stop bit.
    public static let standard = UARTFrameFormat(dataBits: 8, parity: .none, stopHalfBits: 2)

    public init(dataBits: Int, parity: Parity, stopHalfBits: Int) {
        precondition((5...9).contains(dataBits) && (2...4).contains(stopHalfBits))
        self.dataBits = dataBits
        self.parity = parity
        self.stopHalfBits = stopHalfBits
    }

    /// Parses `8N1`, `8E1`, `8O1`, `8N2`, `7E1`, `8N1.5` (case-insensitive parity letter).
    public init?(_ text: String) {
        let characters = Array(text.uppercased())
        guard characters.count >= 3, let bits = characters[0].wholeNumberValue, (5...9).contains(bits),
              let parity = Parity(rawValue: String(characters[1]))
        else { return nil }
        let stopHalfBits: Int
        switch String(characters[2...]) {
        case "1": stopHalfBits = 2
        case "1.5": stopHalfBits = 3
        case "2": stopHalfBits = 4
        default: return nil
        }
        self.init(dataBits: bits, parity: parity, stopHalfBits: stopHalfBits)
    }

    /// Bit times per character, in half bits (1 start + data + parity + stop).
    public var halfBitsPerCharacter: Int {
        2 * (1 + dataBits + (parity == .none ? 0 : 1)) + stopHalfBits
    }

    public var bitsPerCharacter: Double { Double(halfBitsPerCharacter) / 2 }

    public var description: String {
        let stop = stopHalfBits == 3 ? "1.5" : String(stopHalfBits / 2)
        return "\(dataBits)\(parity.rawValue)\(stop)"
    }
}

/// A line speed: `baud` bit times per second in `format`, hence `baud / bitsPerCharacter` bytes per second.
public struct LineRate: Sendable, Equatable, Codable, CustomStringConvertible {
    public static let maximumBaud = 5_000_000

    public let baud: Int
    public let format: UARTFrameFormat

    public init(baud: Int, format: UARTFrameFormat = .standard) {
        precondition(baud > 0 && baud <= Self.maximumBaud)
        self.baud = baud
        self.format = format
    }

    public var bytesPerSecond: Double { Double(baud) / format.bitsPerCharacter }

    /// Nanoseconds that `count` back-to-back characters occupy the line, exactly (rounded down).
    public func nanoseconds(forBytes count: Int64) -> Int64 {
        Int64(Int128(count) * Int128(format.halfBitsPerCharacter) * 1_000_000_000 / (Int128(baud) * 2))
    }

    /// How many whole characters fit in `nanoseconds` of line time (rounded down).
    public func bytes(in nanoseconds: Int64) -> Int64 {
        guard nanoseconds > 0 else { return 0 }
        return Int64(Int128(nanoseconds) * Int128(baud) * 2 / (Int128(format.halfBitsPerCharacter) * 1_000_000_000))
    }

    /// One character's time on the line.
    public var byteTime: Duration { .nanoseconds(nanoseconds(forBytes: 1)) }

    /// The longest frame whose bytes all cross the line within `frameTimeout` (the receiver's deadline runs from
    /// its completed length prefix), or nil when every legal frame does. Below about 15,200 baud 8N1 the default
    /// 1 s timeout drops full-size frames as incomplete, on the device and in the bridge alike.
    public func longestFrame(within frameTimeout: Duration, maxFrame: Int = WireFormat.maxFrameLength) -> Int? {
        let fits = bytes(in: MonotonicTime.nanoseconds(frameTimeout))
        return fits < maxFrame ? Int(fits) : nil
    }

    public var description: String { "\(baud) \(format)" }
}
