import Foundation

/// The clang that builds fuzz targets: one whose runtime has libFuzzer and the sanitizers. The Swift toolchain's
/// own clang has them (`swift` on PATH, its directory's clang), and so does a distribution clang with
/// libclang-rt-dev; `UART_TUNNEL_FUZZ_CC` names one explicitly.
public struct FuzzToolchain: Sendable {
    public let clang: String

    public init(clang: String) {
        self.clang = clang
    }

    /// The first candidate that links a libFuzzer target with ASan and UBSan.
    public static func find() throws(FuzzError) -> FuzzToolchain {
        var candidates: [String] = []
        if let named = ProcessInfo.processInfo.environment["UART_TUNNEL_FUZZ_CC"], !named.isEmpty {
            candidates.append(named)
        }
        if let swift = FuzzProcess.resolve("swift") {
            let real = URL(fileURLWithPath: swift).resolvingSymlinksInPath()
            candidates.append(real.deletingLastPathComponent().appendingPathComponent("clang").path)
        }
        candidates += ["/opt/swift/usr/bin/clang", "clang"]
        var tried: [String] = []
        for candidate in candidates {
            guard let path = FuzzProcess.resolve(candidate), !tried.contains(path) else { continue }
            tried.append(path)
            if hasLibFuzzer(path) { return FuzzToolchain(clang: path) }
        }
        throw .noToolchain("no clang with libFuzzer found (tried \(tried.isEmpty ? "nothing on PATH" : tried.joined(separator: ", "))); "
            + "the Swift toolchain's clang has it, or set UART_TUNNEL_FUZZ_CC")
    }

    /// Links a one-line fuzz target with `-fsanitize=fuzzer,address,undefined`: the honest test of a runtime.
    static func hasLibFuzzer(_ clang: String) -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uart-tunnel-cc-\(getpid())-\(UUID().uuidString.prefix(8))").path
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else {
            return false
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/probe.c"
        let text = "#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n"
        guard FileManager.default.createFile(atPath: source, contents: Data(text.utf8)) else { return false }
        let result = try? FuzzProcess.run([clang, "-fsanitize=fuzzer,address,undefined", source, "-o", directory + "/probe"],
                                          captureErrors: true)
        return result?.status == 0
    }

    /// The swiftc beside this clang (the Swift toolchain's), for the Swift decoder target.
    public var swiftc: String? {
        let beside = URL(fileURLWithPath: clang).deletingLastPathComponent().appendingPathComponent("swiftc").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : FuzzProcess.resolve("swiftc")
    }

    /// `clang --version`'s first line, part of the build key.
    var version: String {
        ((try? FuzzProcess.run([clang, "--version"], captureErrors: true))?.output ?? "")
            .split(separator: "\n").first.map(String.init) ?? clang
    }
}
