import Foundation
import UartTunnelSystem

/// `check wifi --project DIR`: Wi-Fi scenarios against any ESP-IDF project that brings up a station, each in its
/// own namespace with its own device, radio and NVS copy (`WifiRig`), all at once. The judge is what the host
/// layer's esp_wifi logged (`WifiLog`: attempts, associations, disconnect reasons, leases, on the device's clock),
/// the toolkit's `/api/status` radio section, and the kernel's ping through tun0.
///
/// Reason codes are ESP-IDF v5.4's `wifi_err_reason_t` (components/esp_wifi/include/esp_wifi_types_generic.h); which
/// one each failure ends in follows v5.4's docs/en/api-guides/wifi.rst ("Wi-Fi Reason Code", the wrong-password
/// table, "Wi-Fi Beacon Timeout"), as the host layer's wifi/wifi_core.c models them. v5.4's esp_wifi_connect
/// (esp_wifi.h) tries once: reconnecting is the application's job, which is what these scenarios test.
public struct WifiSuite: Sendable {
    public static let name = "wifi"
    static let beaconTimeout = 200, noAPFound = 201, authFail = 202, handshakeTimeout = 15

    public let tool: String
    /// `--project DIR` and the build options, as `uart-tunnel device` takes them (no --nvs: each scenario has its own).
    public let deviceArguments: [String]
    /// The AP of the connect and AP-lost scenarios: the SSID and password the firmware is expected to use.
    public let ssid: String
    public let password: String
    /// The user's NVS file (`--nvs`), copied for each scenario; nil: each starts from an erased partition.
    public let nvs: String?
    /// How long the firmware has to reconnect after the AP returns.
    public let reconnectBound: Duration

    public init(tool: String, deviceArguments: [String], ssid: String, password: String, nvs: String? = nil,
                reconnectBound: Duration = .seconds(30)) {
        self.tool = tool
        self.deviceArguments = deviceArguments
        self.ssid = ssid
        self.password = password
        self.nvs = nvs
        self.reconnectBound = reconnectBound
    }

    /// The AP as the firmware expects it: WPA2-PSK, or open when the firmware has no password.
    var goodAP: WifiCheckAP { WifiCheckAP(ssid: ssid, password: password, auth: password.isEmpty ? "open" : "wpa2-psk") }

    /// The scenarios' check names, for a report that must list them all (skipped when not root).
    static let checkNames = WifiScenarios.connectChecks + WifiScenarios.apLostChecks
        + WifiScenarios.wrongPasswordChecks + WifiScenarios.noAPChecks

    public func run(into report: CheckReport) {
        run(into: report, unavailableReason: NetworkNamespace.unavailableReason)
    }

    /// Every scenario's checks, skipped with `reason` (listed, as the kernel suite does when not root).
    public static func skipAll(into report: CheckReport, reason: String) {
        for name in checkNames { report.skip(Self.name, name, reason: reason) }
    }

    func run(into report: CheckReport, unavailableReason: String?) {
        if let reason = unavailableReason {
            Self.skipAll(into: report, reason: reason)
            return
        }
        let directory: String
        do {
            directory = try Self.makeDirectory()
        } catch {
            report.run(Self.name, "prepare the scenario files") { throw error }
            return
        }
        defer { TemporaryPaths.remove(directory) }
        let scenarios = WifiScenarios(suite: self, directory: directory)
        var plan = CheckPlan()
        plan.add(parameters: ["scenario": "connect"]) { scenarios.connect(into: $0) }
        plan.add(parameters: ["scenario": "ap-lost"]) { scenarios.apLostAndBack(into: $0) }
        plan.add(parameters: ["scenario": "wrong-password-wpa2"]) { scenarios.wrongPassword(wpa3: false, into: $0) }
        plan.add(parameters: ["scenario": "wrong-password-wpa3"]) { scenarios.wrongPassword(wpa3: true, into: $0) }
        plan.add(parameters: ["scenario": "no-ap"]) { scenarios.noAP(into: $0) }
        plan.run(into: report)
    }

    /// A temporary directory for the scenario files and NVS copies, removed at the end or by the teardown.
    static func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-wifi-\(getpid())-\(UUID().uuidString.prefix(8))").path
        TemporaryPaths.register(path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CheckFailure("cannot create \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// Starts one scenario's rig: its radio file and its NVS copy in `directory`.
    func rig(_ tag: String, ap: WifiCheckAP?, directory: String) throws -> WifiRig {
        let radio = "\(directory)/\(tag).radio.json"
        try WifiCheckAP.scenarioJSON(ap).write(to: URL(fileURLWithPath: radio))
        let copy = "\(directory)/\(tag).nvs.txt"
        if let nvs {
            do {
                try FileManager.default.copyItem(atPath: nvs, toPath: copy)
            } catch {
                throw CheckFailure("cannot copy --nvs \(nvs): \(error.localizedDescription)")
            }
        }
        return try WifiRig(tag: tag, tool: tool, deviceArguments: deviceArguments, radio: radio, nvs: copy)
    }
}
