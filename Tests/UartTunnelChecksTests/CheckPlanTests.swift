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
        // The first suite ends last, the last first.
        for (index, delay) in [400, 300, 200, 100].enumerated() {
            plan.add { section in
                pause(.milliseconds(delay))
                section.run("suite \(index)", "first") { "a" }
                section.run("suite \(index)", "second") { "b" }
            }
        }
        let started = ContinuousClock.now
        plan.run(into: report)
        let elapsed = ContinuousClock.now - started
        #expect(report.results.map { "\($0.suite) \($0.name)" } == (0..<4).flatMap { ["suite \($0) first", "suite \($0) second"] })
        // At once: about the longest suite (400 ms); one after another could not take less than the sum (1 s).
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }

    @Test func aloneSuitesRunAfterTheOthersWithNothingBeside() {
        let running = Mutex(0)
        let seenBesideAlone = Mutex<[Int]>([])
        let report = CheckReport()
        var plan = CheckPlan()
        func concurrent(_ name: String) -> @Sendable (CheckReport) -> Void {
            { section in
                running.withLock { $0 += 1 }
                pause(.milliseconds(150))
                section.run(name, "check") { "" }
                running.withLock { $0 -= 1 }
            }
        }
        plan.add(concurrent("a"))
        plan.add(.alone) { section in
            seenBesideAlone.withLock { $0.append(running.withLock { $0 }) }
            section.run("alone", "check") { "" }
        }
        plan.add(concurrent("c"))
        plan.run(into: report)
        #expect(seenBesideAlone.withLock { $0 } == [0])
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
