import Foundation
import UartTunnelChecks
import UartTunnelFirmwareHost
import UartTunnelFuzz

/// `bench`'s fuzzing figures, each beside the target: execs/s of the Swift RecordDecoder (median of three), the
/// Swift driver through lwIP and the in-repo firmware through lwIP (10 s each from the seed corpus, libFuzzer seed 1, the same
/// FuzzSession `uart-tunnel fuzz` runs), the coverage reached on the firmware (libFuzzer's cov/ft), and how long
/// `uart-tunnel fuzz` takes to find each planted bug of the test fixtures (seed corpus, then mutation, until the
/// first finding). The 10-minute clean runs the issue asks for: `uart-tunnel fuzz --driver firmware --seconds 600`,
/// `--driver swift --seconds 600`, `--swift-decoder --seconds 600`.
extension BenchCommand {
    func fuzzFigures() {
        do {
            let toolchain = try FuzzToolchain.find()
            let build = FuzzBuild(toolchain: toolchain)
            if let swiftc = toolchain.swiftc {
                // The decoder's inputs are cheap enough that which ones the corpus grows into moves the figure by a
                // third from one libFuzzer seed to the next: three runs, their median and all three.
                let decoder = try fuzzRuns(try build.swiftBinary(.recordDecoder, swiftc: swiftc).binary)
                print("fuzz Swift RecordDecoder (ASan + coverage): \(decoder.median) execs/s, median of 3 runs of 10 s "
                    + "(\(decoder.all)), coverage \(decoder.last.coverage ?? 0) edges / \(decoder.last.features ?? 0) features, "
                    + "\(decoder.findings) findings  (target >= 100000 execs/s)")
                let bare = try fuzzRuns(try build.swiftBinary(.recordDecoder, swiftc: swiftc, sanitizers: "fuzzer").binary)
                print("fuzz Swift RecordDecoder (coverage only, no ASan): \(bare.median) execs/s, median of 3 runs of 10 s "
                    + "(\(bare.all))  (what ASan costs)")
                let driver = try fuzzRun(try build.swiftBinary(.driver, swiftc: swiftc).binary)
                print("fuzz Swift driver through lwIP (ASan + coverage): \(driver.execsPerSecond ?? 0) execs/s over 10 s, "
                    + "coverage \(driver.coverage ?? 0) edges / \(driver.features ?? 0) features, "
                    + "\(driver.findings.count) findings  (no target set; >= 1000 as for firmware)")
            }
            let firmware = try fuzzRun(try build.binary(for: try FuzzTarget.inRepoFirmware()).binary)
            print("fuzz in-repo firmware through lwIP (ASan + UBSan, virtual time): \(firmware.execsPerSecond ?? 0) execs/s "
                + "over 10 s, coverage \(firmware.coverage ?? 0) edges / \(firmware.features ?? 0) features of the "
                + "firmware, \(firmware.findings.count) findings  (target >= 1000 execs/s)")
            let planted = RepositoryPaths.root.appendingPathComponent("Tests/UartTunnelFuzzTests/Fixtures/planted").path
            for bug in ["wrong_bound", "reuses_lent", "no_resync", "spins"] {
                let target = try FuzzTarget.driverFiles([planted + "/planted_tunnel.c"],
                                                        includeDirectories: [planted + "/" + bug], entry: "app_main")
                let binary = try build.binary(for: target).binary
                let started = ContinuousClock.now
                let found = try fuzzRun(binary, seconds: 60, hangMilliseconds: 2000).findings.first
                let elapsed = (ContinuousClock.now - started).components
                let seconds = String(format: "%.1f", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
                print("fuzz planted \(bug): " + (found.map { "\($0.kind) in \(seconds) s" } ?? "NOT found in \(seconds) s")
                    + " (seed corpus then mutation, to the first finding)  (target <= 60 s)")
            }
        } catch {
            print("fuzz figures: \(error)")
        }
    }

    /// Three sessions of 10 s with libFuzzer seeds 1, 2 and 3: the median execs/s, all three, the findings in all.
    private func fuzzRuns(_ binary: String) throws
        -> (median: Int, all: String, findings: Int, last: FuzzSession.Report)
    {
        let reports = try (1...3).map { try fuzzRun(binary, seed: $0) }
        let rates = reports.map { $0.execsPerSecond ?? 0 }
        return (rates.sorted()[1], rates.map(String.init).joined(separator: ", "),
                reports.map(\.findings.count).reduce(0, +), reports[2])
    }

    /// One `uart-tunnel fuzz` session (no minimizing) in a findings directory of its own, removed after.
    private func fuzzRun(_ binary: String, seconds: Int = 10, hangMilliseconds: Int = 5000, seed: UInt32 = 1) throws
        -> FuzzSession.Report
    {
        var options = FuzzSession.Options()
        options.seconds = seconds
        options.seed = seed
        options.minimizeRuns = 0
        options.hangMilliseconds = hangMilliseconds
        options.findings = FileManager.default.temporaryDirectory
            .appendingPathComponent("ut-bench-fuzz-\(getpid())-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: options.findings) }
        return try FuzzSession(binary: binary, options: options).run()
    }
}
