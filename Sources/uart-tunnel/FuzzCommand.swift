import ArgumentParser
import Foundation
import UartTunnelFirmwareHost
import UartTunnelFuzz

/// `uart-tunnel fuzz`: libFuzzer on a firmware's UART RX path, under ASan and UBSan, on virtual time.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz a firmware's UART RX path with libFuzzer under AddressSanitizer and UBSan, on virtual time.",
        discussion: """
            Builds a fuzz binary with fuzz/build.sh and the Swift toolchain's clang (libFuzzer, ASan, UBSan; cached \
            by content): the firmware's C files instrumented, the ESP-IDF host layer and Debian's liblwip beside \
            them. The firmware's entry runs once; each input is then a sequence of (UART bytes, idle time) steps \
            fed at 115200 8N1 through the host UART into the driver's own RX task and on into lwIP, followed by \
            1.5 s of idle line and one valid frame (the canary). Time is virtual: when every task is blocked the \
            clock jumps to the next timeout, so an input takes microseconds and always the same path.

            Between inputs lwIP is reset as far as its own calls allow: IP fragments aged out, TCP connections \
            and TIME-WAIT pcbs aborted, the ARP and IPv6 neighbour caches flushed (a static entry is answered \
            again when lwIP next asks). What carries over: listening TCP and bound UDP pcbs (the firmware's \
            servers), lwIP's counters, IP IDs and TCP sequence numbers, and whatever the firmware keeps in its \
            own memory — as on a device that keeps running (fuzz/harness/lwip_reset.h).

            --driver swift and --swift-decoder fuzz the Swift side (fuzz/swift/build.sh: swiftc's IR with \
            coverage and ASan added by the toolchain's clang) with the same inputs, seeds and finding kinds: the \
            frames the Swift reference driver hands to netif->input (or the RecordDecoder emits) must be exactly \
            the stream's valid records, in order, whatever the chunking and idle times.

            Findings: a sanitizer report, a crash, a hang (a task that never blocks again), a defect the host \
            layer's probes name (rx-buffer-written-while-lent, valid-frame-dropped, rx-frame-altered, \
            uart-rx-overflow), or resync-lost (the canary never reached lwIP). Each is minimized and saved in \
            --findings as <kind>-<id>.pcapng (the UART bytes with their timing, the --raw capture format), \
            .input (the libFuzzer input) and .txt (the report). Replay one in real time with its normal log and \
            capture: uart-tunnel device --driver … --replay FINDINGS/<kind>-<id>.pcapng --capture out.pcapng.

            Exit status: 0 nothing found, 1 a finding (or an error), 2 a mistake in the command line.
            """
    )

    @Option(name: .customLong("driver"), help: ArgumentHelp(
        "firmware (the in-repo firmware), swift (the Swift reference driver with lwIP) or a C file; repeat for several files.",
        discussion: "swift: SwiftNetifDriver on TunnelNetif and the real liblwip, built by fuzz/swift/build.sh (coverage and "
            + "ASan, as -sanitize=fuzzer,address gives them, in clang's order); the frames reaching netif->input must be exactly the stream's valid records, "
            + "in order, whatever the chunking and idle times (valid-frame-dropped, rx-frame-altered otherwise).",
        valueName: "firmware|swift|file.c"))
    var drivers: [String] = []

    @Option(help: ArgumentHelp(
        "An ESP-IDF project: every .c under DIR/main and DIR/components/*, with their include/ directories.",
        discussion: "Its CMakeLists are not run here: components follow ESP-IDF's layout, Kconfig options take the defaults the sources give.",
        valueName: "dir"))
    var project: String?

    @Option(name: .customShort("I", allowingJoined: true), help: ArgumentHelp("An include directory (repeatable).", valueName: "dir"))
    var includeDirectories: [String] = []

    @Option(help: "The firmware's entry function.")
    var entry: String = "app_main"

    @Option(help: "Fuzz for this many seconds (libFuzzer's -max_total_time).")
    var seconds: Int?

    @Option(help: "Fuzz for this many inputs (libFuzzer's -runs). Neither: until the first finding.")
    var runs: Int?

    @Option(help: ArgumentHelp("A corpus directory kept between runs; new inputs are added to it.", valueName: "dir"))
    var corpus: String?

    @Option(help: "Processes (libFuzzer's fork mode) on this machine.")
    var jobs: Int = 1

    @Option(help: ArgumentHelp("Where findings are saved.", valueName: "dir"))
    var findings: String = "fuzz-findings"

    @Option(help: "Real time a task may run without blocking before it is reported as a hang.")
    var hangMs: Int = 5000

    @Option(help: "libFuzzer runs spent minimizing each finding (0: keep it as found).")
    var minimizeRuns: Int = 2000

    @Flag(help: ArgumentHelp(
        "Fuzz the Swift RecordDecoder alone: its frames must be exactly the stream's valid records whatever the chunking and idle times.",
        discussion: "Built by fuzz/swift/build.sh with coverage and ASan; the same inputs, seeds and findings as --driver."))
    var swiftDecoder = false

    @Flag(help: "Run the seed corpus once, no mutation: a deterministic check for CI.")
    var seedsOnly = false

    @Option(help: ArgumentHelp("Run one input (a .input from --findings, or any libFuzzer input) under the sanitizers, classify it and save it as a finding, then stop.",
                               valueName: "file"))
    var reproduce: String?

    @Flag(help: "Build the fuzz binary, print its path and stop (run it yourself with libFuzzer's flags).")
    var buildOnly = false

    @Option(help: ArgumentHelp("Write the seed corpus (DIR/corpus/, one file per seed) and DIR/uart_rx_fuzzer.dict, then stop (fuzz/ holds the ones build.sh ships).",
                               valueName: "dir"))
    var writeSeeds: String?

    func validate() throws {
        if writeSeeds != nil { return }
        if swiftDecoder, project != nil || !drivers.isEmpty {
            throw ValidationError("--swift-decoder stands alone (no --driver or --project)")
        }
        if project != nil, !drivers.isEmpty { throw ValidationError("--project and --driver stand alone") }
        if !swiftDecoder, project == nil, drivers.isEmpty {
            throw ValidationError("say what to fuzz: --driver firmware, --driver swift, --driver file.c … or --project DIR")
        }
        for name in ["firmware", "swift"] where drivers.count > 1 && drivers.contains(name) {
            throw ValidationError("--driver \(name) stands alone")
        }
        if choice.swiftTarget != nil, !includeDirectories.isEmpty || entry != "app_main" {
            throw ValidationError("-I and --entry are for C firmware, not the Swift targets")
        }
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be positive") }
        if let runs, runs <= 0 { throw ValidationError("--runs must be positive") }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be 1 ... 256") }
        guard hangMs >= 100 else { throw ValidationError("--hang-ms must be at least 100") }
        guard minimizeRuns >= 0 else { throw ValidationError("--minimize-runs must not be negative") }
        if seedsOnly, seconds != nil || runs != nil { throw ValidationError("--seeds-only runs each seed once: no --seconds or --runs") }
        if let reproduce, !FileManager.default.isReadableFile(atPath: reproduce) {
            throw ValidationError("--reproduce \(reproduce): no such readable file")
        }
    }

    func run() throws {
        if let writeSeeds {
            try Self.writeSeedCorpus(to: writeSeeds)
            return
        }
        do {
            let build = try choice.build(note: note)
            note("fuzz binary \(build.binary)\(build.cached ? " (build cache hit)" : "")")
            if buildOnly {
                print(build.binary)
                return
            }
            var options = FuzzSession.Options()
            options.seconds = seconds
            options.runs = runs
            options.jobs = jobs
            options.corpus = corpus
            options.findings = findings
            options.hangMilliseconds = hangMs
            options.minimizeRuns = minimizeRuns
            options.seedsOnly = seedsOnly
            options.passOutput = true
            let session = FuzzSession(binary: build.binary, options: options)
            if let reproduce {
                let finding = try session.examine(reproduce)
                print(finding.line)
                throw ExitCode(finding.kind == "flaky" ? 0 : 1)
            }
            if seconds == nil, runs == nil, !seedsOnly { note("fuzzing until the first finding (Ctrl-C stops)") }
            let report = try session.run()
            let figures = [report.executions.map { "\($0) inputs" }, report.execsPerSecond.map { "\($0) execs/s" },
                           report.coverage.map { "coverage \($0) edges" }].compactMap { $0 }
            note(figures.isEmpty ? "fuzzing ended" : figures.joined(separator: ", "))
            for finding in report.findings { print(finding.line) }
            if report.findings.isEmpty {
                note("no findings")
            } else {
                throw ExitCode.failure
            }
        } catch let error as FuzzError {
            FileHandle.standardError.write(Data("uart-tunnel fuzz: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as FirmwareError {
            FileHandle.standardError.write(Data("uart-tunnel fuzz: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private var choice: FuzzTargetChoice {
        FuzzTargetChoice(drivers: drivers, project: project, includeDirectories: includeDirectories, entry: entry,
                         swiftDecoder: swiftDecoder)
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("uart-tunnel fuzz: \(text)\n".utf8))
    }

    static func writeSeedCorpus(to directory: String) throws {
        do {
            try FuzzSeedCorpus.write(to: directory)
        } catch {
            FileHandle.standardError.write(Data("uart-tunnel fuzz: \(error)\n".utf8))
            throw ExitCode.failure
        }
        print("\(FuzzSeedCorpus.seeds.count) seeds in \(directory)/corpus, the dictionary in \(directory)/uart_rx_fuzzer.dict")
    }
}
