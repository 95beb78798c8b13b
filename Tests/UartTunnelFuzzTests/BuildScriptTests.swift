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
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/bin/bash")
        build.arguments = [FuzzPaths.buildScript]
        build.environment = ProcessInfo.processInfo.environment.merging([
            "CC": toolchain.clang, "OUT": out,
            // OSS-Fuzz's address-sanitizer flags for libFuzzer
            "CFLAGS": "-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link",
            "LIB_FUZZING_ENGINE": "-fsanitize=fuzzer",
        ]) { $1 }
        let errors = Pipe()
        build.standardError = errors
        try build.run()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        build.waitUntilExit()
        #expect(build.terminationStatus == 0, "\(messages.suffix(2000))")
        let binary = out + "/uart_rx_fuzzer"
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        #expect(FileManager.default.fileExists(atPath: out + "/uart_rx_fuzzer.dict"))
        #expect(FileManager.default.fileExists(atPath: out + "/uart_rx_fuzzer_seed_corpus.zip"))

        // it fuzzes: 50 inputs from the seed corpus it shipped (unzipped into $OUT/seeds; new inputs go to $OUT/found)
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", out + "/uart_rx_fuzzer_seed_corpus.zip", "-d", out + "/seeds"]
        try unzip.run()
        unzip.waitUntilExit()
        #expect(unzip.terminationStatus == 0)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: out + "/seeds")
        #expect(shipped.count == FuzzSeedCorpus.seeds.count)
        let found = out + "/found"
        try FileManager.default.createDirectory(atPath: found, withIntermediateDirectories: true)
        let run = Process()
        run.executableURL = URL(fileURLWithPath: binary)
        run.arguments = ["-runs=50", "-dict=" + out + "/uart_rx_fuzzer.dict", found, out + "/seeds"]
        let runErrors = Pipe()
        run.standardError = runErrors
        try run.run()
        let output = String(decoding: runErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0, "\(output.suffix(2000))")
        #expect(output.contains("Done 50 runs") || output.contains("DONE"), "\(output.suffix(500))")
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
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/bin/bash")
        build.arguments = [FuzzPaths.repositoryRoot + "/.clusterfuzzlite/build.sh"]
        let path = URL(fileURLWithPath: swiftc).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        build.environment = ProcessInfo.processInfo.environment.merging([
            "SRC": work + "/src", "OUT": out, "CC": toolchain.clang, "SANITIZER": "address", "PATH": path,
            "CFLAGS": "-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link",
            "LIB_FUZZING_ENGINE": "-fsanitize=fuzzer", "FUZZ_TARGETS": "record_decoder_fuzzer",
        ]) { $1 }
        let errors = Pipe()
        build.standardError = errors
        try build.run()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        build.waitUntilExit()
        #expect(build.terminationStatus == 0, "\(messages.suffix(2000))")
        for name in ["uart_rx_fuzzer", "record_decoder_fuzzer"] {
            #expect(FileManager.default.isExecutableFile(atPath: out + "/" + name), "\(name)")
            #expect(FileManager.default.fileExists(atPath: out + "/\(name)_seed_corpus.zip"), "\(name)")
        }
        let shipped = (try? FileManager.default.contentsOfDirectory(atPath: out + "/lib")) ?? []
        #expect(shipped.contains("liblwip.so.0") && shipped.contains("libswiftCore.so"), "\(shipped)")

        // the binary loads the runtime from $OUT/lib, not from the toolchain
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [out + "/record_decoder_fuzzer"]
        let listing = Pipe()
        ldd.standardOutput = listing
        try ldd.run()
        let libraries = String(decoding: listing.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        let core = libraries.split(separator: "\n").first { $0.contains("libswiftCore.so") }
        #expect(core?.contains(out + "/lib/") == true, "\(libraries)")
        let run = Process()
        run.executableURL = URL(fileURLWithPath: out + "/record_decoder_fuzzer")
        run.arguments = ["-runs=20", "-dict=" + out + "/record_decoder_fuzzer.dict"]
        let runErrors = Pipe()
        run.standardError = runErrors
        try run.run()
        let output = String(decoding: runErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0 && output.contains("Done 20 runs"), "\(output.suffix(1000))")
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
