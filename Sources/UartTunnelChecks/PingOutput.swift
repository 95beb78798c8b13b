/// What a check needs from iputils `ping` output: loss and the per-reply times.
public struct PingOutput: Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// "5 packets transmitted, 5 received, 0% packet loss" → 0.
    public var lossPercent: Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("packet loss") }),
              let field = line.split(separator: ",").first(where: { $0.contains("packet loss") }),
              let number = field.split(separator: "%").first.map({ $0.trimmingCharacters(in: .whitespaces) })
        else { return nil }
        return Double(number)
    }

    /// Every "time=0.083 ms" of the replies, in milliseconds.
    public var rtts: [Double] {
        text.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "time=") else { return nil }
            return Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
    }

    public var medianRTT: Double? { Self.percentile(rtts, 0.5) }

    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
        return sorted[index]
    }
}
