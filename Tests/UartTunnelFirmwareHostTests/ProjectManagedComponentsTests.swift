import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport
@testable import UartTunnelFirmwareHost

/// idf_component.yml dependencies, offline (idf-host/tools/cmake/component_manager.cmake). ESP-IDF v5.4's component
/// manager downloads registry dependencies into managed_components/<namespace>__<name> and makes each one a
/// requirement of the component whose manifest lists it (project.cmake: MANAGED_REQUIRES/MANAGED_PRIV_REQUIRES);
/// local `path:` dependencies are components too. Here nothing is downloaded: what is in managed_components/ is
/// built, and a dependency that is missing is one error saying how to get it.
@Suite(.ownThreads) struct ProjectManagedComponentsTests {
    static func write(_ root: String, _ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// main's manifest lists a registry component (present in managed_components/, as `idf.py reconfigure` leaves
    /// it) and a local one by path, in the manifest shapes the manager documents; `user` requires the managed
    /// one by its short name. main names no REQUIRES for either: the manifest is what links them.
    static func writeProject(_ root: String, dependency: String) throws {
        try write(root, "project/CMakeLists.txt", """
            cmake_minimum_required(VERSION 3.16)
            set(COMPONENTS main)
            include($ENV{IDF_PATH}/tools/cmake/project.cmake)
            project(managed)

            """)
        try write(root, "project/main/CMakeLists.txt", "idf_component_register(SRCS \"main.c\" PRIV_REQUIRES user)\n")
        try write(root, "project/main/idf_component.yml", """
            ## IDF Component Manager Manifest File
            dependencies:
              ## Required IDF version
              idf:
                version: ">=5.0.0"
              \(dependency)
              local_util:
                path: ../../shared/local_util   # a sibling checkout
            """)
        try write(root, "project/main/main.c", """
            #include "blinker.h"
            int local_util_value(void);
            int user_value(void);
            void app_main(void) { (void)blinker_rate(); (void)local_util_value(); (void)user_value(); }

            """)
        try write(root, "project/components/user/CMakeLists.txt",
                  "idf_component_register(SRCS \"user.c\" PRIV_REQUIRES blinker)\n")
        try write(root, "project/components/user/user.c",
                  "#include \"blinker.h\"\nint user_value(void) { return blinker_rate() + 1; }\n")
        try write(root, "project/managed_components/acme__blinker/CMakeLists.txt",
                  "idf_component_register(SRCS \"blinker.c\" INCLUDE_DIRS \"include\")\n")
        try write(root, "project/managed_components/acme__blinker/include/blinker.h", "int blinker_rate(void);\n")
        try write(root, "project/managed_components/acme__blinker/blinker.c", "int blinker_rate(void) { return 2; }\n")
        try write(root, "shared/local_util/CMakeLists.txt", "idf_component_register(SRCS \"local_util.c\")\n")
        try write(root, "shared/local_util/local_util.c", "int local_util_value(void) { return 3; }\n")
    }

    func build(dependency: String) throws -> (Swift.Result<ProjectBuild.Result, any Error>, String) {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-managed-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try Self.writeProject(root, dependency: dependency)
        let build = try ProjectBuild(projectDirectory: root + "/project", buildDirectory: root + "/build")
        return (Swift.Result { try build.build(compiler: FirmwareCompiler(), entry: "app_main") }, root)
    }

    @Test func managedAndLocalDependenciesAreBuiltAndLinkedToTheirManifestsComponent() throws {
        let (result, root) = try build(dependency: "acme/blinker: \"^1.2.0\"")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = try result.get()
        let nm = try ChildProcess.run(["nm", "-D", "--defined-only", output.object])
        for symbol in ["app_main", "blinker_rate", "local_util_value", "user_value"] {
            #expect(nm.output.contains(" \(symbol)\n"), "\(symbol) missing: \(nm.output)")
        }
        // COMPONENTS main reached them only through the manifest and the short-name requirement
        #expect(FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/acme__blinker"))
        #expect(FileManager.default.fileExists(atPath: root + "/build/cmake/esp-idf/local_util"))
    }

    @Test func aDependencyThatWasNeverDownloadedIsOneErrorSayingHowToGetIt() throws {
        let (result, root) = try build(dependency: "espressif/mdns:\n    version: \"^1.4\"\n    public: true")
        defer { try? FileManager.default.removeItem(atPath: root) }
        guard case .failure(let error) = result else {
            Issue.record("a project whose manifest needs espressif/mdns built without it")
            return
        }
        let text = "\(error)"
        #expect(text.contains("idf_component.yml depends on espressif/mdns, which is not in"), "\(text)")
        #expect(text.contains("idf.py reconfigure"), "\(text)")
    }
}
