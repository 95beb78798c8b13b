import Foundation
import UartTunnelFuzz

/// What the fuzz tests share: the toolchain, a build cache inside .build (kept between runs: an unchanged target
/// is not rebuilt), the planted drivers, and a findings directory per test.
enum FuzzFixtures {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let planted = fixtures + "/planted"

    /// A failure with the reason when there is no clang with libFuzzer (the tests that need one are skipped).
    static let toolchain: Result<FuzzToolchain, FuzzError> = Result { () throws(FuzzError) in try FuzzToolchain.find() }

    static var build: FuzzBuild {
        get throws {
            FuzzBuild(toolchain: try toolchain.get(), cacheDirectory: FuzzPaths.repositoryRoot + "/.build/fuzz-tests")
        }
    }

    /// planted_tunnel.c with the planted.h of `bug` ("wrong_bound", "reuses_lent", "no_resync", "spins", "none").
    static func plantedTarget(_ bug: String) throws -> FuzzTarget {
        try FuzzTarget.driverFiles([planted + "/planted_tunnel.c"], includeDirectories: [planted + "/" + bug],
                                   entry: "app_main")
    }

    static func temporaryDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-fuzz-test-\(name)-\(getpid())-\(UUID().uuidString.prefix(6))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static var skipReason: String? {
        if case .failure(let error) = toolchain { return "\(error)" }
        return nil
    }
}
