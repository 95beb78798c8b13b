import UartTunnelWire

/// One input of the UART RX fuzz target, as the harness reads it (fuzz/harness/steps.h is the format's home):
/// steps of the bytes the line carries and how long it then stays idle.
///
/// ```
///  step:  [count_hi][count_lo][idle code][count bytes]
///  idle code  0: none · 1…100: that many ms · 101…255: (code − 100) × 100 ms (0.1 s … 15.5 s)
/// ```
public struct FuzzInput: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var bytes: [UInt8]
        /// 0…255, see the table above.
        public var idleCode: UInt8

        public init(_ bytes: [UInt8], idleCode: UInt8 = 0) {
            self.bytes = bytes
            self.idleCode = idleCode
        }
    }

    public var steps: [Step]

    public init(_ steps: [Step]) {
        self.steps = steps
    }

    /// The idle code for at least `milliseconds` (the harness's longest is 15.5 s).
    public static func idleCode(milliseconds: Int) -> UInt8 {
        if milliseconds <= 0 { return 0 }
        if milliseconds <= 100 { return UInt8(milliseconds) }
        return UInt8(min(255, 100 + (milliseconds + 99) / 100))
    }

    /// The file libFuzzer reads. A step longer than 65,535 bytes is split.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for step in steps {
            var rest = step.bytes[...]
            repeat {
                let piece = rest.prefix(Int(UInt16.max))
                rest = rest.dropFirst(piece.count)
                out.append(UInt8(piece.count >> 8))
                out.append(UInt8(piece.count & 0xFF))
                out.append(rest.isEmpty ? step.idleCode : 0)
                out += piece
            } while !rest.isEmpty
        }
        return out
    }
}
