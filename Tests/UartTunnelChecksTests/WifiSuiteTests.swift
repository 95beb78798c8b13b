import Testing
@testable import UartTunnelChecks

/// Without root (no namespaces) `check wifi` runs nothing and says so for every scenario's check: all skipped, so
/// the run exits 77 like the other namespace suites.
struct WifiSuiteTests {
    @Test func withoutNamespacesEveryScenarioCheckIsSkippedWithTheReason() {
        let report = CheckReport()
        WifiSuite(tool: "/nonexistent/uart-tunnel", deviceArguments: ["--project", "/nonexistent"], ssid: "lab-ap",
                  password: "lab-pass-1").run(into: report, unavailableReason: "needs root")
        #expect(report.results.count == WifiSuite.checkNames.count)
        #expect(report.results.allSatisfy { $0.outcome == .skip && $0.reason == "needs root" })
        #expect(report.exitCode == 77)
    }

    @Test func theWrongPasswordDiffersFromTheFirmwaresAndStaysValid() {
        #expect(WifiCheckAP.otherPassword(than: "lab-pass-1") == "not-lab-pass-1")
        let longest = String(repeating: "p", count: 63)
        let other = WifiCheckAP.otherPassword(than: longest)
        #expect(other != longest && other.count == 63)
    }
}
