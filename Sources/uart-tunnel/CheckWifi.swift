import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelFirmwareHost
import UartTunnelSystem

struct CheckWifi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wifi",
        abstract: "Wi-Fi scenarios against any ESP-IDF project with a station, each on its own scripted radio (root).",
        discussion: """
            Builds the project, then runs each scenario at once in a private network namespace: its own \
            `uart-tunnel device --project DIR --radio … --radio-control …` with its own copy of the NVS partition \
            (nothing the firmware writes reaches your file) and `uart-tunnel bridge` making tun0, so the kernel's \
            ping reaches the station at the radio's lease 192.168.100.2. Judged by what the host's esp_wifi logged \
            (attempts, associations, disconnect reasons, leases), the toolkit's /api/status radio section and ping.

            Scenarios (ESP-IDF v5.4 reason codes): connect (STA_CONNECTED, GOT_IP, ping; a soft-AP's AP_START is \
            reported); AP lost and back (`radio drop-ap`: STA_DISCONNECTED reason 200 BEACON_TIMEOUT; 5 s later \
            `radio restore-ap`: the firmware must reconnect by itself within --reconnect-within and ping must \
            answer again; the delay and the attempts between are reported); wrong password (WPA2-PSK: reason 15 \
            4WAY_HANDSHAKE_TIMEOUT; WPA3-SAE: 202 AUTH_FAIL) and no AP (201 NO_AP_FOUND): every attempt ends in \
            that reason, the firmware keeps running; its attempts and their spacing are reported (back-off or not).

            The AP is --ssid/--password; by default CONFIG_ESP_WIFI_SSID/CONFIG_ESP_WIFI_PASSWORD of the built \
            sdkconfig (the names ESP-IDF's Wi-Fi examples use: Kconfig defaults, sdkconfig.defaults, sdkconfig, \
            --set). The firmware gets its credentials however the project does: Kconfig, an NVS file (--nvs), or \
            esp_wifi's own stored config (nvs.net80211 in that file).

            Exit status as `check`: 0 passed, 1 a check failed, 77 all skipped (not root), 2 a command-line \
            mistake (also: no SSID known), 130/143 interrupted.
            """
    )
    @OptionGroup var options: ReportOptions

    @Option(help: ArgumentHelp("The ESP-IDF project directory (its CMakeLists.txt includes $IDF_PATH/tools/cmake/project.cmake).",
                               valueName: "dir"))
    var project: String

    @Option(help: ArgumentHelp("The sdkconfig to use instead of DIR/sdkconfig (as idf.py -DSDKCONFIG=…).", valueName: "file"))
    var sdkconfig: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a Kconfig option after sdkconfig (repeatable), e.g. --set CONFIG_ESP_WIFI_SSID=lab-ap.",
        valueName: "CONFIG_NAME=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("The build directory (default DIR/build-host).", valueName: "dir"))
    var buildDir: String?

    @Option(help: ArgumentHelp(
        "The NVS partition each scenario starts from, copied (default: BUILD_DIR/nvs.txt if it exists, as `device` uses; else erased).",
        valueName: "file"))
    var nvs: String?

    @Option(help: "The SSID of the check's AP, the network the firmware joins (default: CONFIG_ESP_WIFI_SSID).")
    var ssid: String?

    @Option(help: "The AP's WPA2 password, empty for an open AP (default: CONFIG_ESP_WIFI_PASSWORD, else empty).")
    var password: String?

    @Option(help: ArgumentHelp("How long the firmware has to reconnect after the AP comes back.", valueName: "seconds"))
    var reconnectWithin: Int = 30

    func validate() throws {
        if let nvs, !FileManager.default.isReadableFile(atPath: nvs) {
            throw ValidationError("--nvs \(nvs): no such readable file")
        }
        if let ssid, ssid.isEmpty || ssid.utf8.count > 32 { throw ValidationError("--ssid must be 1…32 bytes") }
        if let password, !password.isEmpty, !(8...63).contains(password.count) {
            throw ValidationError("--password must be 8…63 characters (WPA2), or empty for an open AP")
        }
        guard (1...600).contains(reconnectWithin) else { throw ValidationError("--reconnect-within must be 1…600") }
        do {
            _ = try projectBuild()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    private func projectBuild() throws -> ProjectBuild {
        try ProjectBuild(projectDirectory: project, buildDirectory: buildDir, sdkconfig: sdkconfig, settings: settings)
    }

    func run() throws {
        let build = try projectBuild()
        let report = options.makeReport(command: "check wifi")
        if let reason = NetworkNamespace.unavailableReason {  // nothing runs: all skipped, exit 77
            report.skip(WifiSuite.name, "build \(build.name)", reason: reason)
            WifiSuite.skipAll(into: report, reason: reason)
            try options.finish(report, command: "check wifi")
            return
        }
        var built = false
        report.run(WifiSuite.name, "build \(build.name)") {
            let result = try build.build(compiler: FirmwareCompiler(), entry: "app_main")
            built = true
            return result.cached ? "cache hit" : "built"
        }
        if built {
            let config = (try? String(contentsOfFile: build.buildDirectory + "/cmake/sdkconfig", encoding: .utf8))
                .map(OptionAudit.parseSdkconfig) ?? [:]
            guard let ssid = ssid ?? config["CONFIG_ESP_WIFI_SSID"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                FileHandle.standardError.write(Data("""
                    Error: check wifi: which network does the firmware join? Pass --ssid S --password P, or set \
                    CONFIG_ESP_WIFI_SSID/CONFIG_ESP_WIFI_PASSWORD (--set, sdkconfig): \(build.name)'s sdkconfig has no \
                    CONFIG_ESP_WIFI_SSID.\n
                    """.utf8))
                CheckTeardown.run()
                throw ExitCode(usageExitCode)
            }
            var arguments = ["--project", build.projectDirectory, "--build-dir", build.buildDirectory]
            if let sdkconfig = build.sdkconfig { arguments += ["--sdkconfig", sdkconfig] }
            arguments += build.settings.flatMap { ["--set", $0] }
            let defaultNVS = build.buildDirectory + "/nvs.txt"
            let seed = nvs ?? (FileManager.default.fileExists(atPath: defaultNVS) ? defaultNVS : nil)
            let suite = WifiSuite(tool: currentExecutable(), deviceArguments: arguments, ssid: ssid,
                                  password: password ?? config["CONFIG_ESP_WIFI_PASSWORD"] ?? "", nvs: seed,
                                  reconnectBound: .seconds(reconnectWithin))
            report.run(parameters: ["project": build.name, "ssid": ssid]) { suite.run(into: $0) }
        }
        try options.finish(report, command: "check wifi")
    }
}
