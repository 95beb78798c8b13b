import UartTunnelTestSupport
import Foundation
import Synchronization
import Testing
import UartTunnelChecks

/// `check all` runs its suites at once: the report must not depend on which ended first, `.alone` suites must
/// have nothing else running, and namespaces made at the same moment must not share a name.
@Suite(.ownThreads) struct CheckPlanTests {
    @Test func resultsKeepThePlansOrderWhateverOrderSuitesEndIn() {
        let report = CheckReport()
        var plan = CheckPlan()
        let ended = Mutex<[Int]>([])
        // Each suite but the last ends only once the next has ended, so the first ends last. Only suites that run
        // at once can end so: one after another, suite 0 would wait for a suite not yet started (bounded, it
        // gives up and the order of `ended` shows it).
        for index in 0..<4 {
            plan.add { section in
                if index < 3 { _ = eventually(within: .seconds(10)) { ended.withLock { $0.contains(index + 1) } } }
                section.run("suite \(index)", "first") { "a" }
                section.run("suite \(index)", "second") { "b" }
                ended.withLock { $0.append(index) }
            }
        }
        plan.run(into: report)
        #expect(ended.withLock { $0 } == [3, 2, 1, 0], "the suites ran at once and ended last to first")
        #expect(report.results.map { "\($0.suite) \($0.name)" } == (0..<4).flatMap { ["suite \($0) first", "suite \($0) second"] })
    }

    @Test func aloneSuitesRunAfterTheOthersWithNothingBeside() {
        let started = Mutex(0)
        let ended = Mutex(0)
        let endedBeforeAlone = Mutex<[Int]>([])
        let report = CheckReport()
        var plan = CheckPlan()
        func concurrent(_ name: String) -> @Sendable (CheckReport) -> Void {
            { section in
                // Both concurrent suites are inside their bodies together before either ends (bounded).
                started.withLock { $0 += 1 }
                _ = eventually(within: .seconds(10)) { started.withLock { $0 } == 2 }
                section.run(name, "check") { "" }
                ended.withLock { $0 += 1 }
            }
        }
        plan.add(concurrent("a"))
        plan.add(.alone) { section in
            endedBeforeAlone.withLock { $0.append(ended.withLock { $0 }) }
            section.run("alone", "check") { "" }
        }
        plan.add(concurrent("c"))
        plan.run(into: report)
        #expect(endedBeforeAlone.withLock { $0 } == [2], "the alone suite began before both others had ended")
        #expect(report.results.map(\.suite) == ["a", "alone", "c"])
    }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil, "needs root"))
    func namespacesMadeAtOnceHaveNamesOfTheirOwn() throws {
        let bodies: [@Sendable () -> String?] = (0..<6).map { _ in
            { (try? NetworkNamespace(tag: "bridge")).map { namespace in
                FileManager.default.fileExists(atPath: "/var/run/netns/\(namespace.name)") ? namespace.name : "missing"
            } }
        }
        let names = concurrently(bodies)
        #expect(names.allSatisfy { $0 != nil && $0 != "missing" }, "\(names)")
        #expect(Set(names.compactMap { $0 }).count == 6, "\(names)")
    }
}
