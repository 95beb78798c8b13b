import Foundation
import Testing
import UartTunnelFuzz
import UartTunnelTestSupport

/// CI's smoke run of the in-repo firmware: the seed corpus and then a bounded number of mutated inputs with a
/// fixed libFuzzer seed (the same inputs every run), under ASan and UBSan: no finding. The longer run is
/// `uart-tunnel fuzz --driver firmware --seconds 600` (bench).
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct SmokeTests {
    @Test func inRepoFirmwareRunsClean() throws {
        let binary = try FuzzFixtures.build.binary(for: try FuzzTarget.inRepoFirmware()).binary
        let directory = FuzzFixtures.temporaryDirectory("smoke")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = FuzzSession.Options()
        options.runs = 1500
        options.seed = 12345
        options.findings = directory
        options.minimizeRuns = 100
        options.hangMilliseconds = 10_000
        let report = try FuzzSession(binary: binary, options: options).run()
        note("in-repo firmware: \(report.executions ?? 0) inputs, \(report.execsPerSecond ?? 0) execs/s, coverage \(report.coverage ?? 0)")
        #expect(report.findings.isEmpty, "\(report.findings.map(\.line))")
        #expect((report.executions ?? 0) >= 1500)
    }
}
