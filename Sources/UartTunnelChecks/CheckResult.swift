/// One line of a conformance report: what was checked, how it went, a figure (a count, a time) and why.
///
/// For CI each result also has a stable `id` (`device.icmp-echo-request-gets-a-well-formed-reply`: the suite's
/// kind and the check's name, without the parameters), the suite's `parameters` as fields (`driver`, `baud`,
/// `mode`), how long it took, and its figure read into numbers with units (`CheckFigure`).
public struct CheckResult: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case pass, fail, skip
    }

    public var id: String
    public var suite: String
    public var name: String
    public var parameters: [String: String]
    public var outcome: Outcome
    public var durationSeconds: Double
    public var figure: String
    public var figures: [CheckFigure]
    public var reason: String

    public init(suite: String, name: String, outcome: Outcome, figure: String = "", reason: String = "",
                id: String? = nil, parameters: [String: String] = [:], duration: Duration = .zero) {
        self.id = id ?? Self.id(suite: suite, name: name)
        self.suite = suite
        self.name = name
        self.parameters = parameters
        self.outcome = outcome
        durationSeconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        self.figure = figure
        figures = CheckFigure.parse(figure)
        self.reason = reason
    }

    /// `<kind>.<slug of the name>`: the kind is the suite label's first word ("device (firmware)" → "device"), so
    /// the same check on another driver, baud or bridge has the same id and differs only in its parameters.
    public static func id(suite: String, name: String) -> String {
        let kind = suite.split(separator: " ").first.map(String.init) ?? suite
        return slug(kind) + "." + slug(name)
    }

    /// Lower-case letters and digits, every other run of characters one `-`.
    public static func slug(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(character)
            } else if !result.isEmpty && result.last != "-" {
                result.append("-")
            }
        }
        while result.last == "-" { result.removeLast() }
        return result
    }
}

/// A failed expectation inside a check: its text becomes the report's reason.
public struct CheckFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `require(condition, "why")` inside a check body.
public func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(CheckFailure) {
    if !condition { throw CheckFailure(reason()) }
}
