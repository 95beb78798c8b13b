import Foundation

/// One `uart-tunnel fuzz` run: libFuzzer on a target's binary with the seed corpus and the dictionary, then
/// every crash it saved minimized, classified and turned into a reproducer (``FuzzFinding``).
///
/// ```
///  binary CORPUS SEEDS -dict=… -artifact_prefix=FINDINGS/.raw-PID/ [-max_total_time=N | -runs=N] [-fork=J]
///  each FINDINGS/.raw-PID/crash-* ─ -minimize_crash=1 ─▶ smallest input that still crashes
///                                 ─ one run with the step log ─▶ kind + summary, <kind>-<id>.pcapng/.input/.txt
/// ```
public struct FuzzSession: Sendable {
    public struct Options: Sendable {
        /// libFuzzer's -max_total_time; nil with `runs` nil: until the first finding.
        public var seconds: Int?
        /// libFuzzer's -runs.
        public var runs: Int?
        /// libFuzzer's fork mode (-fork=N) when above 1: N processes on one machine.
        public var jobs: Int = 1
        /// A corpus directory kept between runs (new inputs are added there); nil: a temporary one.
        public var corpus: String?
        /// Where findings go.
        public var findings: String = "fuzz-findings"
        /// Real time a task may run without blocking before it is a hang.
        public var hangMilliseconds: Int = 5000
        /// Runs of -minimize_crash per finding (0: keep the input as found).
        public var minimizeRuns: Int = 2000
        /// Only the seed corpus, no mutation: -runs is then the corpus size (a deterministic check).
        public var seedsOnly = false
        /// libFuzzer's output also goes to this process's stderr as it comes (the CLI).
        public var passOutput = false
        /// libFuzzer's -seed: the same seed, binary and corpus make the same mutations (0: libFuzzer picks one).
        public var seed: UInt32 = 0
        /// More environment for the fuzz binary (e.g. UART_TUNNEL_FUZZ_BAUD, UART_TUNNEL_FUZZ_MAX_FRAME).
        public var environment: [String: String] = [:]

        public init() {}
    }

    public struct Report: Sendable {
        public var findings: [FuzzFinding]
        public var executions: Int?
        public var execsPerSecond: Int?
        /// libFuzzer's "cov:" of the firmware (edges of instrumented code reached) at the end.
        public var coverage: Int?
        /// libFuzzer's "ft:" at the end: coverage features (edges with hit counts, compared values).
        public var features: Int?
        public var libFuzzerStatus: Int32
    }

    public let binary: String
    public let options: Options

    public init(binary: String, options: Options) {
        self.binary = binary
        self.options = options
    }

    public func run() throws(FuzzError) -> Report {
        let findings = FuzzSession.absolute(options.findings)
        let workspace = try Self.workspace("uart-tunnel-fuzz")
        let raw = workspace + "/artifacts/"
        let seeds = workspace + "/corpus"
        let corpus = options.corpus.map(FuzzSession.absolute) ?? workspace + "/found"
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        for directory in [findings, raw, seeds, corpus] { try Self.create(directory) }
        try FuzzSeedCorpus.write(to: workspace)
        let seedCount = FuzzSeedCorpus.seeds.count

        var arguments = [binary]
        arguments += options.seedsOnly ? [seeds] : [corpus, seeds]
        arguments += ["-dict=" + workspace + "/uart_rx_fuzzer.dict", "-artifact_prefix=" + raw, "-timeout=60",
                      "-max_len=4096", "-print_final_stats=1", "-rss_limit_mb=4096"]
        if options.seedsOnly {
            arguments.append("-runs=\(seedCount + 1)")
        } else {
            if let seconds = options.seconds { arguments.append("-max_total_time=\(seconds)") }
            if let runs = options.runs { arguments.append("-runs=\(runs)") }
        }
        if options.jobs > 1 { arguments.append("-fork=\(options.jobs)") }
        if options.seed != 0 { arguments.append("-seed=\(options.seed)") }
        let result = try FuzzProcess.run(arguments, environment: environment(stepLog: nil), captureErrors: true,
                                         echoErrors: options.passOutput,
                                         directory: workspace)
        let stats = Self.statistics(result.errorOutput)

        var found: [FuzzFinding] = []
        let artifacts = ((try? FileManager.default.contentsOfDirectory(atPath: raw)) ?? [])
            .filter { ["crash-", "timeout-", "oom-", "leak-"].contains(where: $0.hasPrefix) }.sorted()
        for artifact in artifacts {
            found.append(try finding(from: raw + artifact, findings: findings, workspace: workspace))
        }
        return Report(findings: found, executions: stats.executions, execsPerSecond: stats.execsPerSecond,
                      coverage: stats.coverage, features: stats.features, libFuzzerStatus: result.status)
    }

    /// Classifies one input, minimizes it (keeping the kind; not for hangs, where every try costs the hang time)
    /// and saves it as a finding. Also what `uart-tunnel fuzz --reproduce FILE` runs.
    public func examine(_ artifact: String) throws(FuzzError) -> FuzzFinding {
        let findings = FuzzSession.absolute(options.findings)
        try Self.create(findings)
        let workspace = try Self.workspace("uart-tunnel-fuzz")
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        return try finding(from: artifact, findings: findings, workspace: workspace)
    }

    func finding(from artifact: String, findings: String, workspace: String) throws(FuzzError) -> FuzzFinding {
        let stepLog = workspace + "/steps.txt"
        func classify(_ input: String) throws(FuzzError) -> (kind: String, summary: String, report: String)? {
            let run = try FuzzProcess.run([binary, "-timeout=60"] + Self.runOnceFlags + [input], environment: environment(stepLog: stepLog),
                                          captureErrors: true, directory: workspace)
            return FuzzReportParser.classify(run.errorOutput).map { ($0.kind, $0.summary, run.errorOutput) }
        }
        var input = artifact
        var classified = try classify(artifact)
        if let found = classified, options.minimizeRuns > 0, !["hang", "timeout"].contains(found.kind) {
            let minimized = workspace + "/minimized"
            try? FileManager.default.removeItem(atPath: minimized)
            _ = try FuzzProcess.run([binary, "-minimize_crash=1", "-runs=\(options.minimizeRuns)", "-timeout=60",
                                     "-exact_artifact_path=" + minimized, artifact],
                                    environment: environment(stepLog: nil), captureErrors: true, directory: workspace)
            if FileManager.default.fileExists(atPath: minimized), let again = try classify(minimized), again.kind == found.kind {
                input = minimized
                classified = again
            } else {
                classified = try classify(artifact)   // the step log of the input kept
            }
        }
        let (kind, summary, report) = classified
            ?? ("flaky", "libFuzzer saved this input as a crash, but running it again did not crash", "")
        guard let bytes = FileManager.default.contents(atPath: input) else {
            throw .io("cannot read \(input)")
        }
        let id = String(FuzzBuild.key(files: [], extra: [], data: [bytes]).prefix(8))
        let stem = findings + "/" + FuzzTarget.sanitized(kind) + "-" + id
        try Self.write(bytes, to: stem + ".input")
        let steps = FuzzReproducer.parseStepLog((try? String(contentsOfFile: stepLog, encoding: .utf8)) ?? "")
        do {
            try FuzzReproducer.writeCapture(steps, to: stem + ".pcapng", summary: "\(kind): \(summary)")
        } catch {
            throw .io("cannot write \(stem).pcapng: \(error)")
        }
        try Self.write(Data(("\(kind): \(summary)\n\n" + report).utf8), to: stem + ".txt")
        return FuzzFinding(kind: kind, summary: summary, reproducer: stem + ".pcapng", input: stem + ".input",
                           report: stem + ".txt")
    }

    private func environment(stepLog: String?) -> [String: String] {
        Self.harnessEnvironment(options.environment, hangMilliseconds: options.hangMilliseconds, stepLog: stepLog)
    }

    /// What every run of a fuzz binary gets besides `extra`: the hang limit and, when given, the step log.
    static func harnessEnvironment(_ extra: [String: String], hangMilliseconds: Int, stepLog: String?) -> [String: String] {
        var environment = extra
        environment["UART_TUNNEL_FUZZ_HANG_MS"] = "\(hangMilliseconds)"
        // A Swift target's abort is libFuzzer's to report: the Swift runtime's backtracer would start a helper that
        // waits for a terminal and outlives the run
        environment["SWIFT_BACKTRACE"] = "enable=no"
        if let stepLog { environment["UART_TUNNEL_FUZZ_STEP_LOG"] = stepLog }
        // ASan's quarantine of freed memory as ClusterFuzz sizes it for fuzz targets (10 MB: oss-fuzz's
        // infra/base-images/base-runner/Dockerfile, "settings used in ClusterFuzz"), not the 256 MB default, whose
        // ever-fresh pages cost the fast targets a tenth of their time in page faults. Options the user gives
        // (in `extra` or our own environment) come after it, and the last of a name wins.
        let given = extra["ASAN_OPTIONS"] ?? ProcessInfo.processInfo.environment["ASAN_OPTIONS"]
        environment["ASAN_OPTIONS"] = (["quarantine_size_mb=10"] + [given].compactMap { $0 }).joined(separator: ":")
        return environment
    }

    /// libFuzzer's flags for running one given input: without -detect_leaks=0 it runs a clean input a second
    /// time whenever mallocs and frees do not balance, and the step log would hold both runs.
    static let runOnceFlags = ["-detect_leaks=0"]

    /// A scratch directory of this process (`prefix`-pid-id) in the temporary directory; the caller removes it.
    static func workspace(_ prefix: String) throws(FuzzError) -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try create(path)
        return path
    }

    /// From libFuzzer's stderr: executions, execs/s, and coverage and features of its last status line.
    static func statistics(_ output: String) -> (executions: Int?, execsPerSecond: Int?, coverage: Int?, features: Int?) {
        var executions: Int?, perSecond: Int?, coverage: Int?, features: Int?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("stat::number_of_executed_units:") {
                executions = Int(line.split(separator: " ").last ?? "")
            } else if line.hasPrefix("stat::average_exec_per_sec:") {
                perSecond = Int(line.split(separator: " ").last ?? "")
            } else if line.hasPrefix("#"), let range = line.range(of: "cov: ") {
                coverage = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? coverage
                if let range = line.range(of: "ft: ") {
                    features = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? features
                }
            }
        }
        return (executions, perSecond, coverage, features)
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    static func create(_ directory: String) throws(FuzzError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(directory): \(error)")
        }
    }

    static func write(_ data: Data, to path: String) throws(FuzzError) {
        guard FileManager.default.createFile(atPath: path, contents: data) else { throw .io("cannot write \(path)") }
    }
}
