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

    private var suites: [(timing: Timing, body: @Sendable (CheckReport) -> Void)] = []

    public init() {}

    public mutating func add(_ body: @escaping @Sendable (CheckReport) -> Void) {
        suites.append((.concurrent, body))
    }

    public mutating func add(_ timing: Timing, _ body: @escaping @Sendable (CheckReport) -> Void) {
        suites.append((timing, body))
    }

    public func run(into report: CheckReport) {
        let sections = suites.map { _ in report.section() }
        let concurrent = suites.indices.filter { suites[$0].timing == .concurrent }
        _ = concurrently(concurrent.map { index in { [suites] in suites[index].body(sections[index]) } })
        for index in suites.indices where suites[index].timing == .alone {
            suites[index].body(sections[index])
        }
        for section in sections { report.append(section) }
    }
}
