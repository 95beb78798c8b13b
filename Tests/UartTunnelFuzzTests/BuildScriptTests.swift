import Foundation
import Testing
import UartTunnelFuzz
import UartTunnelTestSupport

/// fuzz/build.sh as OSS-Fuzz and ClusterFuzzLite call it ($CC, $CFLAGS, $LIB_FUZZING_ENGINE, $OUT), with the
/// toolchain's clang: it builds the target, ships the dictionary and the seed corpus, and the binary runs.
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct BuildScriptTests {
    @Test func ossFuzzStyleBuild() throws {
        let toolchain = try FuzzFixtures.toolchain.get()
        let out = FuzzFixtures.temporaryDirectory("out")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let build = try Self.run(["/bin/bash", FuzzPaths.buildScript], environment: [
            "CC": toolchain.clang, "OUT": out,
            // OSS-Fuzz's address-sanitizer flags for libFuzzer
            "CFLAGS": "-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link",
            "LIB_FUZZING_ENGINE": "-fsanitize=fuzzer",
        ])
        #expect(build.status == 0, "\(build.errors.suffix(2000))")
        let binary = out + "/uart_rx_fuzzer"
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        #expect(FileManager.default.fileExists(atPath: out + "/uart_rx_fuzzer.dict"))
        #expect(FileManager.default.fileExists(atPath: out + "/uart_rx_fuzzer_seed_corpus.zip"))

        // it fuzzes: 50 inputs from the seed corpus it shipped (unzipped into $OUT/seeds; new inputs go to $OUT/found)
        #expect(try Self.run(["/usr/bin/unzip", "-q", out + "/uart_rx_fuzzer_seed_corpus.zip", "-d", out + "/seeds"]).status == 0)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: out + "/seeds")
        #expect(shipped.count == FuzzSeedCorpus.seeds.count)
        let found = out + "/found"
        try FileManager.default.createDirectory(atPath: found, withIntermediateDirectories: true)
        let run = try Self.run([binary, "-runs=50", "-dict=" + out + "/uart_rx_fuzzer.dict", found, out + "/seeds"])
        #expect(run.status == 0, "\(run.errors.suffix(2000))")
        #expect(run.errors.contains("Done 50 runs") || run.errors.contains("DONE"), "\(run.errors.suffix(500))")
    }

    /// .clusterfuzzlite/build.sh as ClusterFuzzLite runs it ($SRC/uart-tunnel, $OUT, SANITIZER=address, the image's
    /// swiftc on PATH): besides the C target it builds the Swift ones (here the RecordDecoder alone, to keep CI
    /// short) and ships the Swift runtime they load in $OUT/lib — the runner has no Swift toolchain.
    @Test func clusterFuzzLiteBuildShipsTheSwiftTargetWithItsRuntime() throws {
        let toolchain = try FuzzFixtures.toolchain.get()
        let swiftc = try #require(toolchain.swiftc, "no swiftc beside \(toolchain.clang)")
        let work = FuzzFixtures.temporaryDirectory("cflite")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let out = work + "/out"
        try FileManager.default.createDirectory(atPath: work + "/src", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/src/uart-tunnel", withDestinationPath: FuzzPaths.repositoryRoot)
        let path = URL(fileURLWithPath: swiftc).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let build = try Self.run(["/bin/bash", FuzzPaths.repositoryRoot + "/.clusterfuzzlite/build.sh"], environment: [
            "SRC": work + "/src", "OUT": out, "CC": toolchain.clang, "SANITIZER": "address", "PATH": path,
            "CFLAGS": "-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link",
            "LIB_FUZZING_ENGINE": "-fsanitize=fuzzer", "FUZZ_TARGETS": "record_decoder_fuzzer",
        ])
        #expect(build.status == 0, "\(build.errors.suffix(2000))")
        for name in ["uart_rx_fuzzer", "record_decoder_fuzzer"] {
            #expect(FileManager.default.isExecutableFile(atPath: out + "/" + name), "\(name)")
            #expect(FileManager.default.fileExists(atPath: out + "/\(name)_seed_corpus.zip"), "\(name)")
        }
        let shipped = (try? FileManager.default.contentsOfDirectory(atPath: out + "/lib")) ?? []
        #expect(shipped.contains("liblwip.so.0") && shipped.contains("libswiftCore.so"), "\(shipped)")

        // the binary loads the runtime from $OUT/lib, not from the toolchain
        let libraries = try Self.run(["/usr/bin/ldd", out + "/record_decoder_fuzzer"]).output
        let core = libraries.split(separator: "\n").first { $0.contains("libswiftCore.so") }
        #expect(core?.contains(out + "/lib/") == true, "\(libraries)")
        let run = try Self.run([out + "/record_decoder_fuzzer", "-runs=20", "-dict=" + out + "/record_decoder_fuzzer.dict"])
        #expect(run.status == 0 && run.errors.contains("Done 20 runs"), "\(run.errors.suffix(1000))")
    }

    /// Runs `arguments` with this process's environment plus `environment`; its status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        nonisolated(unsafe) var errorText = ""
        let reader = Thread { errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        reader.start()
        let outputText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return (process.terminationStatus, outputText, errorText)
    }

    /// The corpus and dictionary in fuzz/ are exactly what `uart-tunnel fuzz --write-seeds fuzz` writes.
    @Test func shippedSeedsMatchTheGenerator() throws {
        let directory = FuzzFixtures.temporaryDirectory("seeds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FuzzSeedCorpus.write(to: directory)
        let shipped = FuzzPaths.repositoryRoot + "/fuzz"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/corpus").sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: shipped + "/corpus").sorted() == names)
        for name in names {
            #expect(FileManager.default.contents(atPath: shipped + "/corpus/" + name)
                    == FileManager.default.contents(atPath: directory + "/corpus/" + name), "\(name)")
        }
        #expect(FileManager.default.contents(atPath: shipped + "/uart_rx_fuzzer.dict")
                == FileManager.default.contents(atPath: directory + "/uart_rx_fuzzer.dict"))
    }
}
