import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport
@testable import UartTunnelFirmwareHost

/// `--project DIR`: a whole ESP-IDF project configured by real CMake through idf-host/ (Kconfig by kconfiglib,
/// EMBED_FILES by the embed script), built into one shared object, and cached by content. In-process builds of the
/// clean-room fixture `Fixtures/projects/web_app` into temporary build directories; nothing is run here (the
/// kernel test, ProjectKernelTests, runs it).
@Suite(.ownThreads) struct ProjectBuildTests {
    static let projects = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/projects").path
    static let webApp = projects + "/web_app"

    /// A fresh build directory, removed when `body` returns.
    func withBuildDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-project-test-\(getpid())-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    static func run(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.run(arguments)
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.output)")
        return result.output
    }

    @Test func theFixtureBuildsFromItsOwnCMakeListsAndASecondStartDoesNotCompile() throws {
        try withBuildDirectory { directory in
            let build = try ProjectBuild(projectDirectory: Self.webApp, buildDirectory: directory)
            let first = try build.build(compiler: FirmwareCompiler(), entry: "app_main")
            #expect(!first.cached)
            // Every component was built: main, the two of components/, and the EXTRA_COMPONENT_DIRS one.
            let symbols = try Self.run(["nm", "-D", "--defined-only", first.object])
            for symbol in ["app_main", "greeting", "webui_start", "store_set_name", "netif_uart_tunnel_init",
                           "_binary_index_html_start", "_binary_robots_txt_end"] {
                #expect(symbols.contains(" \(symbol)\n"), "\(symbol) missing from \(first.object)")
            }
            // Kconfig: the store component's default "settings" replaced by the project's sdkconfig.defaults.
            let header = Self.read(directory + "/cmake/config/sdkconfig.h")
            #expect(header.contains("#define CONFIG_STORE_NAMESPACE \"webapp\"\n"), "\(header)")
            #expect(!header.contains("CONFIG_APP_LOUD_GREETING"), "bool n is left out of sdkconfig.h, as ESP-IDF's")

            // Same inputs: the cached object, without CMake. Removing CMake's whole tree proves nothing ran.
            try FileManager.default.removeItem(atPath: directory + "/cmake")
            let second = try build.build(compiler: FirmwareCompiler(), entry: "app_main")
            #expect(second.cached && second.object == first.object)
            #expect(!FileManager.default.fileExists(atPath: directory + "/cmake"), "CMake ran for a cache hit")

            // A different input (here the entry function the link keeps) is a different build.
            let third = try build.build(compiler: FirmwareCompiler(), entry: "webui_start")
            #expect(!third.cached)
        }
    }

    /// Kconfig defaults < sdkconfig.defaults < sdkconfig < --set (ESP-IDF v5.4 tools/cmake/kconfig.cmake
    /// __kconfig_generate_config: defaults files, then the sdkconfig, then the build's own settings), and a CONFIG_*
    /// conditional in a component's CMakeLists choosing the source file, as `if(CONFIG_TARGET_EMULATOR)` does in the
    /// seed's project.
    @Test func sdkconfigThenSetOverrideAndPickTheSourceFile() throws {
        try withBuildDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let sdkconfig = directory + "/sdkconfig.test"
            try "CONFIG_STORE_NAMESPACE=\"fromfile\"\nCONFIG_LWIP_TCP_MSS=1200\n"
                .write(toFile: sdkconfig, atomically: true, encoding: .utf8)
            let build = try ProjectBuild(projectDirectory: Self.webApp, buildDirectory: directory + "/build",
                                         sdkconfig: sdkconfig,
                                         settings: ["CONFIG_APP_LOUD_GREETING=y", "CONFIG_LWIP_TCP_MSS=1400"])
            _ = try build.build(compiler: FirmwareCompiler(), entry: "app_main")
            let header = Self.read(directory + "/build/cmake/config/sdkconfig.h")
            #expect(header.contains("#define CONFIG_STORE_NAMESPACE \"fromfile\"\n"), "sdkconfig over sdkconfig.defaults")
            #expect(header.contains("#define CONFIG_LWIP_TCP_MSS 1400\n"), "--set over sdkconfig")
            #expect(header.contains("#define CONFIG_APP_LOUD_GREETING 1\n"))
            #expect(header.contains("#define CONFIG_LWIP_TCP_WND_DEFAULT 5760\n"), "ESP-IDF v5.4's default")
            let objects = directory + "/build/cmake/esp-idf/main/CMakeFiles/__idf_main.dir/"
            #expect(FileManager.default.fileExists(atPath: objects + "greeting_loud.c.o"))
            #expect(!FileManager.default.fileExists(atPath: objects + "greeting_quiet.c.o"))
            let strings = try Self.run(["strings", directory + "/build/firmware.so"])
            #expect(strings.contains("HELLO!\n") && !strings.contains("\nhello\n"))
        }
    }

    /// EMBED_FILES and EMBED_TXTFILES, byte for byte, with the symbols of ESP-IDF v5.4's
    /// tools/cmake/scripts/data_file_embed_asm.cmake (_binary_<name>_start/_end, <name>_length without the NUL a
    /// TXTFILE gets): a C program linked with the assembler sources the build generated prints them.
    @Test func embeddedFilesAreByteForByteAndTextFilesNulTerminated() throws {
        try withBuildDirectory { directory in
            let build = try ProjectBuild(projectDirectory: Self.webApp, buildDirectory: directory + "/build")
            _ = try build.build(compiler: FirmwareCompiler(), entry: "app_main")
            let generated = directory + "/build/cmake/esp-idf/webui"
            let program = directory + "/dump.c"
            try """
                #include <stdio.h>
                #include <stdint.h>
                extern const uint8_t _binary_index_html_start[], _binary_index_html_end[];
                extern const uint8_t _binary_robots_txt_start[], _binary_robots_txt_end[];
                extern const uint32_t index_html_length, robots_txt_length;
                int main(int argc, char **argv) {
                    FILE *a = fopen(argv[1], "wb"), *b = fopen(argv[2], "wb");
                    fwrite(_binary_index_html_start, 1, _binary_index_html_end - _binary_index_html_start, a);
                    fwrite(_binary_robots_txt_start, 1, _binary_robots_txt_end - _binary_robots_txt_start, b);
                    printf("%u %u\\n", index_html_length, robots_txt_length);
                    return fclose(a) | fclose(b);
                }
                """.write(toFile: program, atomically: true, encoding: .utf8)
            _ = try Self.run(["cc", "-o", directory + "/dump", program, generated + "/index_html.S",
                              generated + "/robots_txt.S"])
            let lengths = try Self.run([directory + "/dump", directory + "/index.out", directory + "/robots.out"])
            let html = try #require(FileManager.default.contents(atPath: Self.webApp + "/components/webui/www/index.html"))
            let robots = try #require(FileManager.default.contents(atPath: Self.webApp + "/components/webui/www/robots.txt"))
            #expect(FileManager.default.contents(atPath: directory + "/index.out") == html)
            #expect(FileManager.default.contents(atPath: directory + "/robots.out") == robots + [0], "TXTFILES end in NUL")
            #expect(lengths == "\(html.count) \(robots.count)\n", "_length counts the file, not the NUL")
        }
    }

    /// Every option the host layer's own sdkconfig.h (for --driver files) defines is a Kconfig option of projects
    /// (sdkconfig.cmake lists every one, a bool n as ""), so host headers see the same names either way. Values may
    /// differ on purpose: a project gets ESP-IDF v5.4's defaults (CONFIG_LWIP_TCPIP_CORE_LOCKING n).
    @Test func theGeneratedHeaderDefinesEveryOptionOfTheHostHeader() throws {
        try withBuildDirectory { directory in
            let build = try ProjectBuild(projectDirectory: Self.webApp, buildDirectory: directory)
            _ = try build.build(compiler: FirmwareCompiler(), entry: "app_main")
            let generated = Self.read(directory + "/cmake/config/sdkconfig.cmake")
            let host = Self.read(FirmwareHostPaths.espIdfInclude + "/sdkconfig.h")
            let names = host.split(separator: "\n").compactMap { line -> String? in
                let parts = line.split(separator: " ")
                return parts.count >= 2 && parts[0] == "#define" && parts[1].hasPrefix("CONFIG_") ? String(parts[1]) : nil
            }
            #expect(names.count >= 4)
            for name in names {
                #expect(generated.contains("set(\(name) \""), "\(name) is in the host's sdkconfig.h, not in idf-host/Kconfig")
            }
        }
    }

    /// ESP-IDF v5.4 stops the same way (tools/cmake/build.cmake __build_resolve_and_add_req: "Failed to resolve
    /// component '…' required by component '…'"), in its own words.
    @Test func aComponentTheHostLacksIsOneLineNamingItAndWhoRequiredIt() throws {
        try withBuildDirectory { directory in
            let result = try ChildProcess.run([BuiltExecutable.uartTunnel, "device", "--listen", "127.0.0.1:0",
                                               "--project", Self.projects + "/missing_component",
                                               "--build-dir", directory], timeout: .seconds(60))
            #expect(result.status != 0)
            let line = "component 'esp_lcd' required by component 'main' is neither in the project"
            #expect(result.output.contains(line), "\(result.output)")
            #expect(!result.output.contains("CMake Error"), "one line, not CMake's report: \(result.output)")
        }
    }

    @Test func aSetOfAnOptionNoKconfigDefinesIsAClearError() throws {
        try withBuildDirectory { directory in
            let result = try ChildProcess.run([BuiltExecutable.uartTunnel, "device", "--listen", "127.0.0.1:0",
                                               "--project", Self.webApp, "--build-dir", directory,
                                               "--set", "CONFIG_NO_SUCH_OPTION=y"], timeout: .seconds(60))
            #expect(result.status != 0)
            #expect(result.output.contains("--set CONFIG_NO_SUCH_OPTION=y: no Kconfig here defines CONFIG_NO_SUCH_OPTION"),
                    "\(result.output)")
        }
    }

    @Test func projectOptionsAreCheckedBeforeAnythingRuns() throws {
        let noProject = try ChildProcess.run([BuiltExecutable.uartTunnel, "device", "--set", "CONFIG_X=y"])
        #expect(noProject.status != 0)
        #expect(noProject.output.contains("--sdkconfig, --set and --build-dir apply to projects"), "\(noProject.output)")
        let missing = try ChildProcess.run([BuiltExecutable.uartTunnel, "device", "--listen", "127.0.0.1:0",
                                            "--project", "/nonexistent/project"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("--project /nonexistent/project: no such directory"), "\(missing.output)")
    }

    /// `--driver firmware` is `--project firmware`: the in-repo firmware built from its own CMakeLists, whose
    /// web_server component picks its network source with `if(CONFIG_TARGET_EMULATOR)`.
    @Test func theFirmwareShorthandIsTheFirmwareProjectWithItsKconfigConditional() throws {
        let device = try FirmwareDeviceProcess(["--driver", "firmware"])
        defer { device.child.terminate() }
        #expect(device.output.contains("project firmware: "), "\(device.output)")
        #expect(device.output.contains("wifi_manager_sim: ready"), "CONFIG_TARGET_EMULATOR=y built wifi_manager_sim.c")
        try withBuildDirectory { directory in
            // n: the Wi-Fi manager; with no network in its fresh NVS it starts the setup AP
            let result = try ChildProcess.run([BuiltExecutable.uartTunnel, "device", "--listen", "127.0.0.1:0",
                                               "--driver", "firmware", "--build-dir", directory,
                                               "--set", "CONFIG_TARGET_EMULATOR=n", "--expect-text", "setup_portal: setup AP",
                                               "--timeout", "50"], timeout: .seconds(60))
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("wifi_manager: no network stored"), "\(result.output)")
            #expect(!result.output.contains("wifi_manager_sim"), "\(result.output)")
        }
    }
}
