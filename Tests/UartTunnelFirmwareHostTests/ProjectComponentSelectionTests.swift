import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport
@testable import UartTunnelFirmwareHost

/// COMPONENTS and EXCLUDE_COMPONENTS in a project's top-level CMakeLists, as ESP-IDF v5.4 reads them
/// (tools/cmake/project.cmake __project_init selects among the discovered components; build.cmake
/// idf_build_process → __build_expand_requirements adds what they require, transitively). A component left out is
/// not configured at all: here one whose source is an #error, so building it would fail the build.
@Suite(.ownThreads) struct ProjectComponentSelectionTests {
    /// main → used → deep (REQUIRES); `broken` and `spare` are discovered but nothing requires them.
    /// `broken` is an #error unless `brokenCompiles`: building it then fails the build.
    static func writeProject(at root: String, selection: String, brokenCompiles: Bool = false) throws {
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("CMakeLists.txt", """
            cmake_minimum_required(VERSION 3.16)
            \(selection)
            include($ENV{IDF_PATH}/tools/cmake/project.cmake)
            project(selection)

            """)
        try write("main/CMakeLists.txt", "idf_component_register(SRCS \"main.c\" PRIV_REQUIRES used)\n")
        try write("main/main.c", "int used_value(void);\nvoid app_main(void) { (void)used_value(); }\n")
        try write("components/used/CMakeLists.txt", "idf_component_register(SRCS \"used.c\" REQUIRES deep)\n")
        try write("components/used/used.c", "int deep_value(void);\nint used_value(void) { return deep_value(); }\n")
        try write("components/deep/CMakeLists.txt", "idf_component_register(SRCS \"deep.c\")\n")
        try write("components/deep/deep.c", "int deep_value(void) { return 7; }\n")
        try write("components/spare/CMakeLists.txt", "idf_component_register(SRCS \"spare.c\")\n")
        try write("components/spare/spare.c", "int spare_value(void) { return 1; }\n")
        try write("components/broken/CMakeLists.txt", "idf_component_register(SRCS \"broken.c\")\n")
        try write("components/broken/broken.c", brokenCompiles ? "int broken_value(void) { return 0; }\n"
                                                               : "#error \"the broken component was compiled\"\n")
    }

    func build(selection: String, brokenCompiles: Bool = false)
        throws -> (result: Swift.Result<ProjectBuild.Result, any Error>, directory: String) {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-selection-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try Self.writeProject(at: root + "/project", selection: selection, brokenCompiles: brokenCompiles)
        let build = try ProjectBuild(projectDirectory: root + "/project", buildDirectory: root + "/build")
        return (Swift.Result { try build.build(compiler: FirmwareCompiler(), entry: "app_main") }, root)
    }

    func definedSymbols(_ object: String) throws -> String {
        let result = try ChildProcess.run(["nm", "-D", "--defined-only", object])
        try #require(result.status == 0, "\(result.output)")
        return result.output
    }

    @Test func componentsBuildsTheNamedOnesAndWhatTheyRequireTransitively() throws {
        let (result, root) = try build(selection: "set(COMPONENTS main)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = try result.get()
        let symbols = try definedSymbols(output.object)
        for symbol in ["app_main", "used_value", "deep_value"] {
            #expect(symbols.contains(" \(symbol)\n"), "\(symbol) missing: \(symbols)")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/spare"),
                "a component outside COMPONENTS and its requirements was configured")
        #expect(!FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/broken"))
    }

    @Test func excludeComponentsLeavesOneOutOfAFullBuild() throws {
        let (result, root) = try build(selection: "set(EXCLUDE_COMPONENTS broken)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let symbols = try definedSymbols(try result.get().object)
        #expect(symbols.contains(" deep_value\n"))
        // Every other discovered component is built, as without a selection: spare is in even though unused
        // (its archive is in the link group; nothing references it, so only its directory shows it was built).
        #expect(FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/spare"))
        #expect(!FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/broken"))
    }

    /// Without a selection every discovered component is built — `broken`'s archive exists though nothing
    /// references it (here it compiles, so the build stays quiet) — and excluding a component that another
    /// requires is an error naming both.
    @Test func withoutSelectionEverythingIsBuiltAndExcludingARequirementIsNamed() throws {
        let (all, root) = try build(selection: "", brokenCompiles: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try all.get()
        #expect(FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/broken/libbroken.a"))
        #expect(FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/spare/libspare.a"))

        let (excluded, root2) = try build(selection: "set(EXCLUDE_COMPONENTS broken deep)")
        defer { try? FileManager.default.removeItem(atPath: root2) }
        guard case .failure(let error) = excluded else {
            Issue.record("excluding deep, which used requires, built anyway")
            return
        }
        #expect("\(error)".contains("component 'deep' required by component 'used' is in EXCLUDE_COMPONENTS"),
                "\(error)")
    }
}
