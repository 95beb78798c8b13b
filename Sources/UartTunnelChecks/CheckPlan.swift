/// Suites that share nothing, run at once, with results in a fixed order.
///
/// Each suite gets a `CheckReport.section()` and a thread of its own; `.alone` suites run one after another
/// once every concurrent suite has ended, for measurements a loaded machine would distort (a paced ping's RTT
/// must sit within 1 ms of the wire's minimum). The sections are then appended in the order the suites were
/// added, so the table and the JSON are the same whichever suite ended first. Suites that share nothing: each
/// namespace suite makes its own namespace (`NetworkNamespace` names are unique per process and per pid), and
/// every device listens on its own port (ephemeral on loopback, or fixed inside its own namespace).
public struct CheckPlan {
    public enum Timing: Sendable {
        /// With every other concurrent suite.
        case concurrent
        /// After the concurrent suites, with nothing else running.
        case alone
    }

    private var suites: [(timing: Timing, parameters: [String: String], body: @Sendable (CheckReport) -> Void)] = []

    public init() {}

    /// `parameters` (`driver`, `baud`, `mode`, …) go into every result of that suite as fields.
    public mutating func add(_ timing: Timing = .concurrent, parameters: [String: String],
                             _ body: @escaping @Sendable (CheckReport) -> Void) {
        suites.append((timing, parameters, body))
    }

    public mutating func add(_ body: @escaping @Sendable (CheckReport) -> Void) {
        add(.concurrent, parameters: [:], body)
    }

    public mutating func add(_ timing: Timing, _ body: @escaping @Sendable (CheckReport) -> Void) {
        add(timing, parameters: [:], body)
    }

    public func run(into report: CheckReport) {
        let sections = suites.map { report.section(parameters: $0.parameters) }
        let concurrent = suites.indices.filter { suites[$0].timing == .concurrent }
        _ = concurrently(concurrent.map { index in { [suites] in suites[index].body(sections[index]) } })
        for index in suites.indices where suites[index].timing == .alone {
            suites[index].body(sections[index])
        }
        for section in sections { report.append(section) }
    }
}

extension CheckReport {
    /// Runs one suite in a section with `parameters` and brings its results back in (a plan of one suite).
    public func run(parameters: [String: String], _ body: (CheckReport) -> Void) {
        let section = section(parameters: parameters)
        body(section)
        append(section)
    }
}
