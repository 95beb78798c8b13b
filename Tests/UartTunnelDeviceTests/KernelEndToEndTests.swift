import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// The device and `uart-tunnel bridge` against the real Linux kernel in a private network namespace:
/// `ping -c 5 192.168.100.2` with 0 % loss and `curl http://192.168.100.2/api/status` returning the device's JSON.
/// Root only; elsewhere the suite is skipped with the reason.
@Suite(.ownThreads) struct KernelEndToEndTests {
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func pingAndCurlTheDeviceThroughATapBridge() throws {
        let tool = BuiltExecutable.uartTunnel
        try #require(FileManager.default.isExecutableFile(atPath: tool), "build uart-tunnel first: \(tool) missing")
        let report = CheckReport()
        KernelSuite(tool: tool).run(into: report)
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)")
        }
        #expect(report.results.count == 6)
    }

    /// Without root every check is reported as skipped, with the reason a user needs to fix it.
    @Test func withoutRootEveryCheckIsSkippedWithTheReason() throws {
        let reason = try #require(NetworkNamespace.unavailableReason(euid: 1000))
        #expect(reason.contains("needs root"))
        let report = CheckReport()
        KernelSuite(tool: "/nonexistent").run(into: report, unavailableReason: reason)
        #expect(report.results.count == 6)
        #expect(report.results.allSatisfy { $0.outcome == .skip && $0.reason == reason })
        #expect(report.summaryLine == "0 passed, 0 failed, 6 skipped")
        #expect(!report.allPassed)
    }
}
