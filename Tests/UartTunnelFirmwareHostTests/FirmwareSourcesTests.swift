import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelFirmwareHost

/// How `--driver` arguments become a compiler command.
@Suite(.ownThreads) struct FirmwareSourcesTests {
    /// Every C file under firmware/main; the Wi-Fi manager's (CONFIG_TARGET_EMULATOR=n) compile to nothing here.
    @Test func theInRepoFirmwareIsItsCFilesWithComponentIncludes() throws {
        let sources = try FirmwareSources.inRepoFirmware()
        let names = sources.files.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
        #expect(names == ["form_urlencoded.c", "main.c", "netif_uart_tunnel_sim.c", "setup_portal.c", "web_server.c",
                          "wifi_credentials.c", "wifi_manager.c", "wifi_manager_sim.c", "wifi_reason.c"])
        #expect(sources.includeDirectories.contains { $0.hasSuffix("components/netif_uart_tunnel/include") })
        #expect(sources.includeDirectories.contains { $0.hasSuffix("components/web_server/include") })
        #expect(sources.entry == "app_main" && sources.name == "firmware")
    }

    @Test func userFilesBringTheirDirectoriesAfterTheUsersIncludes() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
        let sources = try FirmwareSources.userFiles([fixture + "/eth_style/serial_eth.c"],
                                                    includeDirectories: [fixture + "/defective/none"], entry: "start")
        #expect(sources.includeDirectories == [fixture + "/defective/none", fixture + "/eth_style",
                                               fixture + "/eth_style/include"])
        #expect(sources.name == "serial_eth.c" && sources.entry == "start")
        #expect(throws: FirmwareError.self) {
            try FirmwareSources.userFiles(["/nonexistent.c"], includeDirectories: [], entry: "app_main")
        }
    }

    @Test func theCompilerCommandMakesMissingFunctionsErrorsAndPutsUserIncludesFirst() throws {
        let sources = FirmwareSources(files: ["/src/a.c"], includeDirectories: ["/user"], entry: "app_main")
        let arguments = try FirmwareCompiler(compiler: "cc", hostInclude: "/host").arguments(for: sources, output: "/tmp/a.so")
        #expect(arguments.first == "cc")
        #expect(arguments.contains("-Werror=implicit-function-declaration"))
        #expect(arguments.contains("-shared") && arguments.contains("-fPIC"))
        let user = try #require(arguments.firstIndex(of: "-I/user"))
        let host = try #require(arguments.firstIndex(of: "-I/host"))
        let lwip = try #require(arguments.firstIndex { $0.hasPrefix("-I") && $0.contains("lwip") })
        #expect(user < host && host < lwip, "user headers, then the host layer (its lwip/etharp.h), then liblwip's")
        #expect(arguments.contains("-llwip"))
    }

    @Test func anUndefinedSymbolAtLoadIsNamed() {
        let error = FirmwareError.loadFailed("/tmp/x/fw.so: undefined symbol: esp_wifi_init")
        #expect(error.description.hasPrefix("the firmware calls esp_wifi_init, which neither the ESP-IDF host layer nor liblwip provides"))
    }
}
