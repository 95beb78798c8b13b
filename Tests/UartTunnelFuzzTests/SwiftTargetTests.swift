import Foundation
import Testing
@testable import UartTunnelFuzz
import UartTunnelTestSupport

/// The Swift targets (fuzz/swift): the RecordDecoder alone and the Swift reference driver through the real lwIP,
/// on the firmware target's inputs, seeds and oracle (the wire's view). Each runs its seeds clean, and each
/// oracle is shown to fire: a seed that passes with the wire's own rule is a finding when only the code under
/// test is configured otherwise (UART_TUNNEL_FUZZ_FRAME_TIMEOUT_MS, UART_TUNNEL_FUZZ_MAX_FRAME).
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct SwiftTargetTests {
    func binary(_ target: SwiftFuzzTarget) throws -> String {
        let toolchain = try FuzzFixtures.toolchain.get()
        let swiftc = try #require(toolchain.swiftc, "no swiftc beside \(toolchain.clang)")
        return try FuzzFixtures.build.swiftBinary(target, swiftc: swiftc).binary
    }

    /// Every seed once, then a fixed number of mutated inputs with a fixed libFuzzer seed: no finding.
    func expectClean(_ target: SwiftFuzzTarget) throws {
        let directory = FuzzFixtures.temporaryDirectory("swift-clean")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = FuzzSession.Options()
        options.runs = 3000
        options.seed = 4242
        options.findings = directory
        options.minimizeRuns = 0
        let report = try FuzzSession(binary: try binary(target), options: options).run()
        note("\(target.title): \(report.executions ?? 0) inputs, \(report.execsPerSecond ?? 0) execs/s, coverage \(report.coverage ?? 0)")
        #expect(report.findings.isEmpty, "\(report.findings.map(\.line))")
        #expect((report.executions ?? 0) >= 3000)
        #expect((report.coverage ?? 0) > 0, "the code under test is instrumented")
    }

    @Test func decoderRunsClean() throws {
        try expectClean(.recordDecoder)
    }

    @Test func driverThroughLwIPRunsClean() throws {
        try expectClean(.driver)
    }

    /// The binary on one seed with the code under test's settings changed (none: the wire's own): its finding, or
    /// nil when the run ended cleanly.
    func run(_ binary: String, seed: String, _ settings: [String: String] = [:]) throws -> (kind: String, summary: String)? {
        let (status, output) = try runOnce(binary, seed: seed, settings)
        let finding = FuzzReportParser.classify(output)
        #expect((status == 0) == (finding == nil), "exit \(status): \(output.suffix(600))")
        return finding
    }

    /// The binary on one seed: its exit status and standard error.
    func runOnce(_ binary: String, seed: String, _ settings: [String: String]) throws -> (status: Int32, output: String) {
        // stderr into a file of its own: a pipe's EOF can wait on a write end that a process started at the same
        // time by another test inherited
        let directory = FuzzFixtures.temporaryDirectory("swift-run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let errors = try #require(FileHandle(forWritingAtPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = FuzzSession.runOnceFlags + [FuzzPaths.repositoryRoot + "/fuzz/corpus/" + seed]
        var environment = ProcessInfo.processInfo.environment
        environment.merge(settings) { $1 }
        environment["SWIFT_BACKTRACE"] = "enable=no"   // as FuzzSession runs them: libFuzzer reports the abort
        process.environment = environment
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try errors.close()
        return (process.terminationStatus, try String(contentsOfFile: log, encoding: .utf8))
    }

    /// ASan watches the code under test itself, not only the C library's copies: handed each chunk in freed memory
    /// (UART_TUNNEL_FUZZ_LEND_FREED), the decoder's first read, its inline 2-byte length load in
    /// RecordDecoder.decodeRecords, is the report. Without ASan's checks compiled into the decoder (fuzz/swift/build.sh
    /// instruments the Swift IR with clang), that load would pass unseen and the first report, if any, would be a
    /// copy's, in ASan's memcpy interceptor.
    @Test(arguments: [SwiftFuzzTarget.recordDecoder, .driver])
    func addressSanitizerWatchesTheCodeUnderTest(_ target: SwiftFuzzTarget) throws {
        let (status, output) = try runOnce(try binary(target), seed: "back-to-back-short",
                                           ["UART_TUNNEL_FUZZ_LEND_FREED": "1"])
        #expect(status != 0)
        #expect(FuzzReportParser.classify(output)?.kind == "heap-use-after-free", "\(output.prefix(1500))")
        let access = output.split(separator: "\n").drop { !$0.hasPrefix("READ of size") }.prefix(4)
        #expect(access.first?.hasPrefix("READ of size 2 at ") == true, "\(access)")
        #expect(access.contains { $0.contains("RecordDecoder") && $0.contains("decodeRecords") }, "\(access)")
        #expect(!access.contains { $0.contains("memcpy") || $0.contains("memmove") }, "\(access)")
    }

    /// A driver that gives up on a partial record after 20 ms drops the seed's ping, split by a 50 ms idle:
    /// "valid-frame-dropped". A driver that takes jumbo frames (9018) delivers the 1520 bytes behind a length the
    /// wire calls bad: a frame that was not on the wire, "rx-frame-altered".
    @Test(arguments: [SwiftFuzzTarget.recordDecoder, .driver])
    func oracleCatchesADriverThatDisagreesWithTheWire(_ target: SwiftFuzzTarget) throws {
        let binary = try binary(target)
        #expect(try run(binary, seed: "split-50") == nil)
        let dropped = try run(binary, seed: "split-50", ["UART_TUNNEL_FUZZ_FRAME_TIMEOUT_MS": "20"])
        #expect(dropped?.kind == "valid-frame-dropped", "\(String(describing: dropped))")

        #expect(try run(binary, seed: "bad-length-1520-with-body") == nil)
        let invented = try run(binary, seed: "bad-length-1520-with-body", ["UART_TUNNEL_FUZZ_MAX_FRAME": "9018"])
        #expect(invented?.kind == "rx-frame-altered", "\(String(describing: invented))")
        #expect(invented?.summary.contains("1520-byte frame") == true, "\(String(describing: invented))")
    }

    /// A finding of a Swift target is a reproducer like the firmware's: minimized, a capture `--replay` reads.
    @Test func findingIsAReplayableCapture() throws {
        let directory = FuzzFixtures.temporaryDirectory("swift-finding")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = FuzzSession.Options()
        options.environment = ["UART_TUNNEL_FUZZ_FRAME_TIMEOUT_MS": "20"]
        options.findings = directory
        options.minimizeRuns = 200
        let finding = try FuzzSession(binary: try binary(.recordDecoder), options: options)
            .examine(FuzzPaths.repositoryRoot + "/fuzz/corpus/split-50")
        #expect(finding.kind == "valid-frame-dropped", "\(finding.line)")
        let replay = try CaptureReplay(path: finding.reproducer)
        #expect(replay.byteCount > 0)
    }
}
