import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks

/// The bridge conformance suite against every bridge we ship, and against one broken on purpose, in private
/// network namespaces (root only; skipped with the reason otherwise). Each run makes a namespace of its own
/// (`NetworkNamespace` names are unique), so the four run at once; their latency bounds are 5-10x the medians
/// measured so (0.2-0.4 ms against 2 ms), and Nagle's stall, which they exist to catch, is 40 ms.
@Suite(.ownThreads, .enabled(if: NetworkNamespace.unavailableReason == nil,
                             "bridge suite needs root: \(NetworkNamespace.unavailableReason ?? "")"))
struct BridgeSuiteTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ command: [String]) -> CheckReport {
        let report = CheckReport()
        BridgeSuite(command: command).run(into: report)
        return report
    }

    static func expectAllPass(_ report: CheckReport) {
        #expect(report.results.count == 10)
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)")
        }
    }

    @Test(arguments: ["tap", "tun"])
    func uartTunnelBridgePasses(mode: String) throws {
        let tool = BuiltExecutable.uartTunnel
        try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing: build first")
        Self.expectAllPass(Self.run([tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}",
                                     "--mode", mode]))
    }

    @Test func seedPythonBridgePasses() {
        let script = Self.repository.appendingPathComponent("firmware/tools/serial_tun_bridge.py").path
        Self.expectAllPass(Self.run(["python3", script, "--port", "{port}", "--ifname", "{ifname}"]))
    }

    /// A bridge with three known defects fails exactly those checks, each with a reason that names the cause.
    @Test func brokenBridgeFailsWithReadableReasons() {
        let script = Self.repository.appendingPathComponent("Tests/UartTunnelBridgeTests/Fixtures/broken_bridge.py").path
        let report = Self.run(["python3", script, "--port", "{port}", "--ifname", "{ifname}"])
        let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0) })
        func outcome(_ prefix: String) -> CheckResult? { byName.first { $0.key.hasPrefix(prefix) }?.value }

        #expect(outcome("interface up")?.outcome == .pass)
        #expect(outcome("kernel ping")?.outcome == .pass)
        #expect(outcome("IPv6")?.outcome == .fail)
        #expect(outcome("IPv6")?.reason.contains("0x0800 instead of 0x86DD") == true)
        #expect(outcome("latency: median RTT < 35 ms at 200 ms")?.outcome == .fail)
        #expect(outcome("latency: median RTT < 35 ms at 200 ms")?.reason.contains("Nagle") == true)
        #expect(outcome("device disconnects")?.outcome == .fail)
        #expect(outcome("device disconnects")?.reason.contains("did not reconnect") == true)
        #expect(report.failed >= 3)
        #expect(report.summaryLine.hasSuffix("\(report.failed) failed"))
    }
}

/// The same suite with the device as a pty (a board on a USB-serial adapter): each bridge in `--serial` mode
/// passes every check, unplug and replug included (the pty closed, a new one under the same name).
@Suite(.ownThreads, .enabled(if: NetworkNamespace.unavailableReason == nil,
                             "bridge suite needs root: \(NetworkNamespace.unavailableReason ?? "")"))
struct SerialBridgeSuiteTests {
    @Test func uartTunnelBridgeOverPtyPasses() throws {
        let tool = BuiltExecutable.uartTunnel
        try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing: build first")
        let report = CheckReport()
        BridgeSuite(command: [tool, "bridge", "--serial", "{serial}", "--baud", "921600", "--ifname", "{ifname}"],
                    label: "bridge (serial)", serial: true).run(into: report)
        BridgeSuiteTests.expectAllPass(report)
    }

    @Test func seedPythonBridgeOverPtyPasses() {
        let script = BridgeSuiteTests.repository.appendingPathComponent("firmware/tools/serial_tun_bridge.py").path
        let report = CheckReport()
        BridgeSuite(command: ["python3", script, "--serial", "{serial}", "--baud", "921600", "--ifname", "{ifname}"],
                    label: "bridge (python, serial)", serial: true).run(into: report)
        BridgeSuiteTests.expectAllPass(report)
    }
}
