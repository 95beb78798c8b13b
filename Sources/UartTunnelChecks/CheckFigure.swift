/// A check's figure as numbers for CI: the text a check returns ("rtt 1ms 450μs", "0 of 26 frames",
/// "median 0.392 ms", "16/16") read into named quantities with units, so a dashboard can plot them without
/// parsing prose. The text stays in the report as it was; this only reads what it says.
public struct CheckFigure: Sendable, Codable, Equatable {
    /// The words before the number ("rtt", "median"), or "" when there are none.
    public var name: String
    public var value: Double
    /// "ms" for every duration, "B" for bytes, "%", "frames", …; "" for a bare count.
    public var unit: String
    /// The whole a count is out of ("0 of 26", "16/16").
    public var of: Double?

    public init(name: String, value: Double, unit: String, of: Double? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.of = of
    }

    static let units: Set<String> = ["B", "KB", "MB", "KiB", "MiB", "ms", "s", "%", "MB/s", "B/s", "frames", "frame",
                                     "records", "record", "pings", "baud", "bytes"]
    /// A duration as Swift prints it ("1ms", "450μs"): the parts of one duration are summed, in milliseconds.
    static let durationScale: [String: Double] = ["ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1, "s": 1000]

    public static func parse(_ text: String) -> [CheckFigure] {
        let tokens = text.split(separator: " ").map(String.init)
        var figures: [CheckFigure] = []
        var words: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if let milliseconds = duration(token) {
                var total = milliseconds
                while index + 1 < tokens.count, let more = duration(tokens[index + 1]) {
                    total += more
                    index += 1
                }
                figures.append(CheckFigure(name: words.joined(separator: " "), value: total, unit: "ms"))
                words = []
            } else if let (value, of) = ratio(token) {
                figures.append(CheckFigure(name: words.joined(separator: " "), value: value, unit: "", of: of))
                words = []
            } else if let (value, attached) = number(token) {
                var figure = CheckFigure(name: words.joined(separator: " "), value: value, unit: attached)
                if index + 2 < tokens.count, tokens[index + 1] == "of", let (whole, _) = number(tokens[index + 2]) {
                    figure.of = whole
                    index += 2
                }
                if figure.unit.isEmpty, index + 1 < tokens.count, units.contains(tokens[index + 1]) {
                    figure.unit = tokens[index + 1]
                    index += 1
                }
                figures.append(figure)
                words = []
            } else {
                words.append(token)
            }
            index += 1
        }
        return figures
    }

    /// "450μs" → 0.45 (ms); nil for anything else.
    private static func duration(_ token: String) -> Double? {
        for (suffix, scale) in durationScale where token.hasSuffix(suffix) {
            if let value = Double(token.dropLast(suffix.count)), !token.dropLast(suffix.count).isEmpty {
                return value * scale
            }
        }
        return nil
    }

    /// "16/16" → (16, 16).
    private static func ratio(_ token: String) -> (Double, Double)? {
        let parts = token.split(separator: "/")
        guard parts.count == 2, let value = Double(parts[0]), let whole = Double(parts[1]) else { return nil }
        return (value, whole)
    }

    /// "42" → (42, ""), "0%" → (0, "%"); a token that does not start with a number → nil.
    private static func number(_ token: String) -> (Double, String)? {
        let digits = token.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        guard !digits.isEmpty, let value = Double(digits) else { return nil }
        let rest = String(token.dropFirst(digits.count))
        guard rest.isEmpty || rest == "%" else { return nil }
        return (value, rest)
    }
}
