/// One line of a conformance report: what was checked, how it went, a figure (a count, a time) and why.
public struct CheckResult: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case pass, fail, skip
    }

    public var suite: String
    public var name: String
    public var outcome: Outcome
    public var figure: String
    public var reason: String

    public init(suite: String, name: String, outcome: Outcome, figure: String = "", reason: String = "") {
        self.suite = suite
        self.name = name
        self.outcome = outcome
        self.figure = figure
        self.reason = reason
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
