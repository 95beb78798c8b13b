import Foundation
import UartTunnelChecks
import UartTunnelFirmwareHost
import UartTunnelFuzz

/// `bench`'s fuzzing figures: execs/s of the Swift RecordDecoder target and of the in-repo firmware through lwIP
/// (10 s each, seed corpus first, fixed libFuzzer seed), its coverage, and how long the planted bugs of the test
/// fixtures take to find from the seed corpus. (The 10-minute clean runs the issue asks for: `uart-tunnel fuzz
/// --driver firmware --seconds 600` and `uart-tunnel fuzz --swift-decoder --seconds 600`.)
extension BenchCommand {
    func fuzzFigures() {
        do {
            let toolchain = try FuzzToolchain.find()
            let build = FuzzBuild(toolchain: toolchain)
            if let swiftc = toolchain.swiftc {
                let decoder = try build.swiftDecoderBinary(swiftc: swiftc)
                let figures = try libFuzzerFigures(decoder.binary, seconds: 10)
                print("fuzz Swift RecordDecoder (swiftc -sanitize=fuzzer,address, any chunking = the stream's records): "
                    + "\(figures.execs) execs/s over 10 s, coverage \(figures.coverage) edges  (target >= 100000)")
            }
            let firmware = try build.binary(for: try FuzzTarget.inRepoFirmware())
            var options = FuzzSession.Options()
            options.seconds = 10
            options.seed = 1
            options.minimizeRuns = 0
            options.findings = FileManager.default.temporaryDirectory.appendingPathComponent("ut-bench-fuzz-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: options.findings) }
            let report = try FuzzSession(binary: firmware.binary, options: options).run()
            print("fuzz in-repo firmware through lwIP (ASan+UBSan, virtual time): \(report.execsPerSecond ?? 0) execs/s over 10 s, "
                + "coverage \(report.coverage ?? 0) edges, \(report.findings.count) findings  (target >= 1000)")
            let planted = RepositoryPaths.root.appendingPathComponent("Tests/UartTunnelFuzzTests/Fixtures/planted").path
            for bug in ["wrong_bound", "reuses_lent", "no_resync", "spins"] {
                let target = try FuzzTarget.driverFiles([planted + "/planted_tunnel.c"],
                                                        includeDirectories: [planted + "/" + bug], entry: "app_main")
                var seedsOnly = options
                seedsOnly.seconds = nil
                seedsOnly.seedsOnly = true
                seedsOnly.hangMilliseconds = 2000
                let binary = try build.binary(for: target).binary
                let started = ContinuousClock.now
                let found = try FuzzSession(binary: binary, options: seedsOnly).run().findings.first
                let elapsed = (ContinuousClock.now - started).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                print("fuzz planted \(bug): " + (found.map { "\($0.kind) in \(String(format: "%.1f", seconds)) s from the seed corpus" }
                    ?? "NOT found from the seed corpus (\(String(format: "%.1f", seconds)) s)"))
            }
        } catch {
            print("fuzz figures: \(error)")
        }
    }

    /// One libFuzzer run of `seconds` on a fresh corpus: its average execs/s and final coverage.
    private func libFuzzerFigures(_ binary: String, seconds: Int) throws -> (execs: Int, coverage: Int) {
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("ut-bench-corpus-\(getpid())").path
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: corpus) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-max_total_time=\(seconds)", "-seed=1", "-print_final_stats=1", corpus]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var execs = 0, coverage = 0
        for line in output.split(separator: "\n") {
            if line.hasPrefix("stat::average_exec_per_sec:") { execs = Int(line.split(separator: " ").last ?? "") ?? 0 }
            if line.hasPrefix("#"), let range = line.range(of: "cov: ") {
                coverage = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? coverage
            }
        }
        return (execs, coverage)
    }
}
