import Foundation
import Testing
import UartTunnelChecks
import UartTunnelFuzz
import UartTunnelLink
import UartTunnelTestSupport

/// Each clean-room driver with one planted bug (Fixtures/planted/planted_tunnel.c) is found from the seed corpus
/// alone — every seed runs once, no mutation, so what is found is caused by a named seed, not by luck — with the
/// kind of finding its bug produces, and the reproducer is a capture whose bytes replay.
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct PlantedBugTests {
    /// Findings go to a directory of the test's own, removed when it ends.
    func session(_ bug: String, in directory: String, hangMs: Int = 5000, minimizeRuns: Int = 0) throws -> FuzzSession {
        let binary = try FuzzFixtures.build.binary(for: try FuzzFixtures.plantedTarget(bug)).binary
        var options = FuzzSession.Options()
        options.seedsOnly = true
        options.findings = directory
        options.hangMilliseconds = hangMs
        options.minimizeRuns = minimizeRuns
        return FuzzSession(binary: binary, options: options)
    }

    func findings(_ bug: String, hangMs: Int = 5000, minimizeRuns: Int = 0) throws -> [FuzzFinding] {
        let directory = FuzzFixtures.temporaryDirectory(bug)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = try session(bug, in: directory, hangMs: hangMs, minimizeRuns: minimizeRuns).run()
        for finding in report.findings { try expectReplayableCapture(finding) }
        for finding in report.findings { note(finding.line) }
        return report.findings
    }

    /// The length is checked against 1600 into a 1518-byte buffer. The smallest seed that shows it is a bad
    /// length 1519 followed by a valid record, which the driver swallows as the rest of its "frame"; the seed with
    /// 1519 bytes behind the length makes it write past the buffer, and ASan names the global and the driver's
    /// line. The finding is minimized (libFuzzer's -minimize_crash) and keeps its kind.
    @Test func wrongBoundIsFoundAndOverflowsUnderASan() throws {
        let found = try findings("wrong_bound", minimizeRuns: 200)
        let finding = try #require(found.first)
        #expect(["valid-frame-dropped", "global-buffer-overflow"].contains(finding.kind), "\(finding.line)")

        let directory = FuzzFixtures.temporaryDirectory("overflow")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let overflow = try session("wrong_bound", in: directory).examine(FuzzPaths.repositoryRoot + "/fuzz/corpus/bad-length-1519-with-body")
        note(overflow.line)
        #expect(overflow.kind == "global-buffer-overflow")
        #expect(overflow.summary.contains("planted_tunnel.c"), "\(overflow.summary)")
        try expectReplayableCapture(overflow)
    }

    /// One static buffer lent to esp_netif_receive and reused: the seed "fragment-held" leaves an IP fragment in
    /// lwIP's reassembly queue and overwrites its bytes with the next frame; when lwIP returns it the host layer's
    /// lent-buffer check names the defect (or lwIP, reading the overwritten fragment, crashes first).
    @Test func reusedLentBufferIsNamed() throws {
        let found = try findings("reuses_lent")
        let finding = try #require(found.first)
        #expect(["rx-buffer-written-while-lent", "segv", "heap-use-after-free"].contains(finding.kind), "\(finding.line)")
    }

    /// After a bad length the driver never reads a record again: a valid frame behind it is dropped, or the canary
    /// after the idle line never arrives.
    @Test func resyncThatNeverComesBackIsFound() throws {
        let found = try findings("no_resync")
        let finding = try #require(found.first)
        #expect(["valid-frame-dropped", "resync-lost"].contains(finding.kind), "\(finding.line)")
    }

    /// After a bad length the driver polls without blocking: the task never blocks again.
    @Test func spinningTaskIsAHang() throws {
        let found = try findings("spins", hangMs: 1500)
        let finding = try #require(found.first)
        #expect(finding.kind == "hang")
        #expect(finding.summary.contains("\"rx\""), "the hang names the task: \(finding.summary)")
    }

    /// The same driver without a planted bug: every seed runs clean (the probes name nothing, the canary arrives).
    @Test func cleanDriverHasNoFindings() throws {
        #expect(try findings("none").isEmpty)
    }

    /// A driver that gives up on a record 40 ms early (960 ms) is inside the band where either verdict is fair
    /// (CEspIdfHost_DEADLINE_BAND_MS, the line keeps out of it): not a finding, as the device does not name it either
    /// (NoFalseDefectsTests.aRecordCompletedJustBeforeItsDeadlineMayBeDroppedUnnamed).
    @Test func aTimeoutInsideTheBandHasNoFindings() throws {
        #expect(try findings("early_timeout").isEmpty)
    }

    /// Every reproducer is a capture `--replay` reads (RX bytes with their times), with its input and report.
    func expectReplayableCapture(_ finding: FuzzFinding) throws {
        let replay = try CaptureReplay(path: finding.reproducer)
        #expect(replay.byteCount > 0)
        #expect(replay.chunks.map(\.offset) == replay.chunks.map(\.offset).sorted())
        #expect(FileManager.default.fileExists(atPath: finding.input))
        let report = try String(contentsOfFile: finding.report, encoding: .utf8)
        #expect(report.hasPrefix("\(finding.kind): "))
    }
}
