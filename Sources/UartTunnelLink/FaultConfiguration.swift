import Foundation

/// Which faults a link injects in one direction. Probabilities are per record (`loss`, `truncate`), per byte
/// (`dropByte`) and per bit (`flipBit`); `delay` holds each record back by `delay ± jitter` (uniform), keeping
/// the byte order (a serial line cannot reorder).
public struct FaultSpec: Sendable, Equatable, Codable {
    public var loss = 0.0
    public var dropByte = 0.0
    public var flipBit = 0.0
    public var truncate = 0.0
    public var delay: Duration = .zero
    public var jitter: Duration = .zero

    public init() {}

    public var isActive: Bool {
        loss > 0 || dropByte > 0 || flipBit > 0 || truncate > 0 || delay > .zero || jitter > .zero
    }

    public var description: String {
        var parts: [String] = []
        if loss > 0 { parts.append("loss=\(loss)") }
        if dropByte > 0 { parts.append("drop-byte=\(dropByte)") }
        if flipBit > 0 { parts.append("flip-bit=\(flipBit)") }
        if truncate > 0 { parts.append("truncate=\(truncate)") }
        if delay > .zero || jitter > .zero {
            parts.append("delay=\(FaultConfiguration.format(delay))±\(FaultConfiguration.format(jitter))")
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}

/// `--faults loss=0.01,drop-byte=1e-4,flip-bit=1e-6,truncate=0.001,delay=5ms±2ms,seed=7`: keys without a prefix
/// apply to both directions; `rx:` (peer → device) or `tx:` (device → peer) limits a key to one. One seed drives
/// both, through independent streams per direction and fault kind, so a run replays exactly.
public struct FaultConfiguration: Sendable, Equatable, Codable {
    public var rx = FaultSpec()
    public var tx = FaultSpec()
    public var seed: UInt64 = 1

    public init() {}

    public var isActive: Bool { rx.isActive || tx.isActive }

    public var description: String {
        "rx: \(rx.description); tx: \(tx.description); seed=\(seed)"
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init(parsing text: String) throws(ParseError) {
        for item in text.split(separator: ",") {
            let entry = item.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            guard let equals = entry.firstIndex(of: "=") else {
                throw ParseError(description: "'\(entry)' is not KEY=VALUE")
            }
            var key = String(entry[..<equals]).lowercased()
            let value = String(entry[entry.index(after: equals)...])
            var applyRX = true
            var applyTX = true
            if key.hasPrefix("rx:") || key.hasPrefix("rx.") {
                applyTX = false
                key.removeFirst(3)
            } else if key.hasPrefix("tx:") || key.hasPrefix("tx.") {
                applyRX = false
                key.removeFirst(3)
            }
            func set(_ update: (inout FaultSpec) -> Void) {
                if applyRX { update(&rx) }
                if applyTX { update(&tx) }
            }
            switch key {
            case "seed":
                guard applyRX && applyTX else { throw ParseError(description: "seed applies to both directions") }
                guard let seed = UInt64(value) else { throw ParseError(description: "seed '\(value)' is not a non-negative integer") }
                self.seed = seed
            case "loss":
                let p = try Self.probability(value, key)
                set { $0.loss = p }
            case "drop-byte", "drop_byte", "dropbyte":
                let p = try Self.probability(value, key)
                set { $0.dropByte = p }
            case "flip-bit", "flip_bit", "flipbit":
                let p = try Self.probability(value, key)
                set { $0.flipBit = p }
            case "truncate":
                let p = try Self.probability(value, key)
                set { $0.truncate = p }
            case "delay":
                let (delay, jitter) = try Self.delay(value)
                set { $0.delay = delay; $0.jitter = jitter }
            default:
                throw ParseError(description: "unknown fault '\(key)' (loss, drop-byte, flip-bit, truncate, delay, seed; "
                    + "prefix rx: or tx: for one direction)")
            }
        }
    }

    /// `0.01`, `1e-4` or `1%`, in [0, 1].
    static func probability(_ text: String, _ key: String) throws(ParseError) -> Double {
        var number = text
        var scale = 1.0
        if number.hasSuffix("%") {
            number.removeLast()
            scale = 0.01
        }
        guard let value = Double(number).map({ $0 * scale }), value >= 0, value <= 1 else {
            throw ParseError(description: "\(key)=\(text): expected a probability in 0...1 (e.g. 0.01, 1e-4 or 1%)")
        }
        return value
    }

    /// `5ms±2ms`, `5ms+-2ms`, `5ms~2ms`, or a bare `5ms` (units ns, us, µs, ms, s).
    static func delay(_ text: String) throws(ParseError) -> (Duration, Duration) {
        var parts: [String] = [text]
        for separator in ["±", "+-", "~", "+/-"] where text.contains(separator) {
            parts = text.components(separatedBy: separator)
            break
        }
        guard parts.count <= 2, let delay = duration(parts[0]) else {
            throw ParseError(description: "delay=\(text): expected e.g. 5ms, 5ms±2ms or 5ms+-2ms")
        }
        var jitter = Duration.zero
        if parts.count == 2 {
            guard let value = duration(parts[1]) else {
                throw ParseError(description: "delay=\(text): jitter '\(parts[1])' is not a duration like 2ms")
            }
            jitter = value
        }
        guard jitter <= delay else {
            throw ParseError(description: "delay=\(text): jitter larger than the delay would need negative delays")
        }
        return (delay, jitter)
    }

    static func duration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count)), value >= 0 else { return nil }
            return .nanoseconds(Int64((value * scale * 1e9).rounded()))
        }
        return nil
    }

    static func format(_ duration: Duration) -> String {
        let ns = MonotonicTime.nanoseconds(duration)
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1000 == 0 { return "\(ns / 1000)us" }
        return "\(ns)ns"
    }
}
