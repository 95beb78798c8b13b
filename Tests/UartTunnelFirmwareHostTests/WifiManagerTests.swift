import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport

/// The in-repo firmware's Wi-Fi manager (firmware/main/components/web_server/wifi_manager.c, setup_portal.c), built
/// as a board build (`--set CONFIG_TARGET_EMULATOR=n`) and run on the scripted radio. Its network comes from NVS
/// (`--nvs`, namespace "wifi_mgr"); the reasons it logs are esp_wifi's (ESP-IDF v5.4 docs/en/api-guides/wifi.rst:
/// BEACON_TIMEOUT 200 for a lost AP, NO_AP_FOUND 201, 4WAY_HANDSHAKE_TIMEOUT 15 and AUTH_FAIL 202 for a wrong
/// password); reconnecting is the application's job ("Wi-Fi Reconnect"), here with a doubling back-off. Every step
/// waits for the firmware's own log line or answer before the next.
@Suite(.ownThreads) struct WifiManagerTests {
    static var tool: String { FirmwareDeviceProcess.tool }
    static let firmware = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("firmware").path
    static func radio(_ name: String) -> String { FirmwareDeviceProcess.fixture("wifi_manager/\(name).json") }

    /// Every test builds the firmware with these settings into one dedicated build directory (not the project's
    /// build-host, which other settings would thrash): the first start builds, the others wait on its lock and
    /// find the result, and so do later runs. Short waits; fewer attempts before the setup AP than (b) makes.
    static let settings = ["WIFI_MANAGER_RETRY_INITIAL_MS=100", "WIFI_MANAGER_ATTEMPTS=3"]
    static let build = URL(fileURLWithPath: firmware).deletingLastPathComponent()
        .appendingPathComponent(".build/firmware-wifi-manager-tests").path

    /// An NVS file of the test's own.
    struct Scratch {
        let path: String
        var nvs: String { path + "/nvs.txt" }

        init(storing network: (ssid: String, password: String)?) throws {
            path = FileManager.default.temporaryDirectory
                .appendingPathComponent("wifi-manager-\(getpid())-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            if let network {
                try """
                namespace "wifi_mgr"
                str "wifi_mgr" "ssid" "\(network.ssid)"
                str "wifi_mgr" "pass" "\(network.password)"

                """.write(toFile: nvs, atomically: true, encoding: .utf8)
            }
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// `device` arguments for the firmware project as a board build on `radio`.
        func device(radio: String) -> [String] {
            ["--project", WifiManagerTests.firmware, "--build-dir", WifiManagerTests.build, "--nvs", nvs,
             "--radio", radio, "--set", "CONFIG_TARGET_EMULATOR=n"]
                + WifiManagerTests.settings.flatMap { ["--set", "CONFIG_" + $0] }
        }
    }

    static func manager(_ output: String) -> [WifiRadioTests.LogLine] {
        WifiRadioTests.lines(output, tag: "wifi_manager")
    }

    static func texts(_ output: String, prefix: String) -> [String] {
        manager(output).map(\.text).filter { $0.hasPrefix(prefix) }
    }

    static func status(_ namespace: NetworkNamespace, _ device: ChildProcess) throws -> [String: Any] {
        let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2/api/status"])
        try #require(curl.status == 0, "curl: \(curl.output)\n\(device.output.suffix(2000))")
        let object = try JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any]
        return try #require(object?["wifi"] as? [String: Any], "\(curl.output)")
    }

    /// (a) A stored network in range: one attempt, the address, and the status server on port 80 answers the
    /// kernel's curl through tun0 with the station's state.
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func aStoredNetworkIsJoinedAndTheStatusPageAnswersThroughTun0() throws {
        let scratch = try Scratch(storing: ("lab-ap", "lab-pass-1"))
        defer { scratch.remove() }
        let namespace = try NetworkNamespace(tag: "wmgr")
        let device = try namespace.start([Self.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0"]
            + scratch.device(radio: WifiRadioTests.radio("lab")))
        defer { _ = device.terminate() }
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { _ = bridge.terminate() }
        try #require(device.waitForOutput(containing: "wifi_manager: connected to", timeout: .seconds(60)),
                     "\(device.output.suffix(3000))")
        #expect(Self.texts(device.output, prefix: "stored network") == ["stored network \"lab-ap\""])
        #expect(Self.texts(device.output, prefix: "attempt") == ["attempt 1: connecting to \"lab-ap\""])
        #expect(Self.texts(device.output, prefix: "connected") == ["connected to \"lab-ap\": ip 192.168.100.2, rssi -55"])

        let wifi = try Self.status(namespace, device)
        #expect(wifi["state"] as? String == "connected", "\(wifi)")
        #expect(wifi["rssi"] as? Int == -55 && wifi["attempts"] as? Int == 1 && wifi["connects"] as? Int == 1, "\(wifi)")
        #expect(wifi["last_disconnect_reason"] as? Int == 0 && wifi["failures"] as? Int == 0, "\(wifi)")
        let page = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2/"])
        #expect(page.status == 0 && page.output.contains("<td>state</td><td>connected</td>"), "\(page.output)")
    }

    /// (b) The AP leaves the air under the connected station (`uart-tunnel radio drop-ap`): BEACON_TIMEOUT, then
    /// NO_AP_FOUND attempts with doubling waits, and no setup AP although more attempts failed than the
    /// fallback's limit (3): that limit applies only before the first connection. The AP returns, the
    /// station rejoins by itself, and the kernel reaches the status page over the same tun0 again.
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func aLostAPIsRetriedWithGrowingWaitsAndRejoined() throws {
        let scratch = try Scratch(storing: ("lab-ap", "lab-pass-1"))
        defer { scratch.remove() }
        let namespace = try NetworkNamespace(tag: "wmgr")
        let device = try namespace.start([Self.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0",
                                          "--radio-control", "127.0.0.1:0"]
            + scratch.device(radio: WifiRadioTests.radio("lab")))
        defer { _ = device.terminate() }
        let marker = "radio control listening on "
        try #require(device.waitForOutput(containing: marker, timeout: .seconds(60)), "\(device.output.suffix(3000))")
        let control = try #require(device.output.components(separatedBy: marker).last?
            .split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init))
        func radio(_ words: String...) throws {
            let run = try namespace.run([Self.tool, "radio", "--connect", control] + words)
            #expect(run.status == 0 && run.output.hasPrefix("ok"), "\(run.output)")
        }
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { _ = bridge.terminate() }
        try #require(device.waitForOutput(containing: "wifi_manager: connected to", timeout: .seconds(60)),
                     "\(device.output.suffix(3000))")
        #expect(try Self.status(namespace, device)["connects"] as? Int == 1)

        try radio("drop-ap", "lab-ap")
        try #require(device.waitForOutput(containing: "failure 4", timeout: .seconds(30)), "\(device.output.suffix(3000))")
        try radio("restore-ap", "lab-ap")
        let deadline = ContinuousClock.now + .seconds(30)
        while Self.texts(device.output, prefix: "connected to").count < 2, ContinuousClock.now < deadline {
            pause(.milliseconds(50))
        }
        let output = device.output
        #expect(Self.texts(output, prefix: "connected to").count == 2, "\(output.suffix(3000))")
        let disconnects = Self.texts(output, prefix: "disconnected")
        try #require(disconnects.count >= 4, "\(disconnects)")
        #expect(disconnects[0] == "disconnected from \"lab-ap\": reason 200 (BEACON_TIMEOUT), failure 1")
        #expect(disconnects[1...].enumerated().allSatisfy { index, line in
            line == "disconnected from \"lab-ap\": reason 201 (NO_AP_FOUND), failure \(index + 2)"
        }, "\(disconnects)")
        let waits = Self.texts(output, prefix: "retry in")
        #expect(Array(waits.prefix(4)) == ["retry in 100 ms", "retry in 200 ms", "retry in 400 ms", "retry in 800 ms"],
                "\(waits)")
        Self.expectEachWaitWasKept(output)
        #expect(!output.contains("starting the setup AP"), "\(output.suffix(3000))")

        let wifi = try Self.status(namespace, device)
        #expect(wifi["state"] as? String == "connected" && wifi["connects"] as? Int == 2, "\(wifi)")
        #expect(wifi["failures"] as? Int == 0 && wifi["last_disconnect_reason"] as? Int == 201, "\(wifi)")
        #expect(wifi["last_disconnect"] as? String == "NO_AP_FOUND", "\(wifi)")
        #expect(bridge.wait(timeout: .zero) == nil, "the bridge kept tun0 throughout")
    }

    /// Each "retry in D ms" is followed by the next attempt no sooner than D ms later (the log's host-clock ms; one
    /// 10 ms FreeRTOS tick of rounding allowed).
    static func expectEachWaitWasKept(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = manager(output)
        for (index, line) in lines.enumerated() where line.text.hasPrefix("retry in ") {
            let wait = Int(line.text.dropFirst("retry in ".count).prefix { $0.isNumber }) ?? 0
            guard let next = lines[(index + 1)...].first(where: { $0.text.hasPrefix("attempt ") }) else { continue }
            #expect(next.ms - line.ms >= wait - 10, "waited \(next.ms - line.ms) ms of \(wait)",
                    sourceLocation: sourceLocation)
        }
    }

    /// (c) A stored network whose password is wrong: each attempt ends in the radio's reason for it, the waits
    /// double, and after the configured number of attempts the setup AP starts (esp_wifi in AP mode).
    @Test(arguments: [("wrong_password", "15 (4WAY_HANDSHAKE_TIMEOUT)"), ("wrong_password_wpa3", "202 (AUTH_FAIL)")])
    func aWrongPasswordEndsInTheSetupAPAfterGrowingWaits(scenario: String, reason: String) throws {
        let scratch = try Scratch(storing: ("lab-ap", "lab-pass-1"))
        defer { scratch.remove() }
        let device = try FirmwareDeviceProcess([], extra: scratch.device(radio: WifiRadioTests.radio(scenario)))
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "setup_portal: setup AP", timeout: .seconds(60)),
                     "\(device.output.suffix(3000))")
        let output = device.output
        #expect(Self.texts(output, prefix: "disconnected") == (1...3).map {
            "disconnected from \"lab-ap\": reason \(reason), failure \($0) of 3"
        }, "\(output.suffix(3000))")
        #expect(Self.texts(output, prefix: "attempt").count == 3)
        #expect(Self.texts(output, prefix: "retry in") == ["retry in 100 ms", "retry in 200 ms"])
        Self.expectEachWaitWasKept(output)
        #expect(Self.texts(output, prefix: "3 failed attempts") == ["3 failed attempts: starting the setup AP"])
        #expect(output.contains("setup_portal: setup AP \"uart-tunnel-setup\" on channel 1: join it and open http://192.168.4.1/"))
        #expect(!output.contains("wifi_manager: connected to"))
    }

    /// (d) No network stored: the setup AP starts at once, without a station attempt.
    @Test func noStoredNetworkStartsTheSetupAPAtOnce() throws {
        let scratch = try Scratch(storing: nil)
        defer { scratch.remove() }
        let device = try FirmwareDeviceProcess([], extra: scratch.device(radio: WifiRadioTests.radio("lab")))
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "setup_portal: setup AP", timeout: .seconds(60)),
                     "\(device.output.suffix(3000))")
        #expect(Self.texts(device.output, prefix: "") == ["no network stored: starting the setup AP"])
        #expect(device.output.contains("setup AP \"uart-tunnel-setup\" on channel 1: join it and open http://192.168.4.1/"))
    }

    /// (d) The whole setup path from the kernel: no network stored → setup AP; tun1 (`bridge` on the soft-AP's link,
    /// `device --ap-listen`) joins it as a station; curl gets the form from 192.168.4.1, every malformed POST is a
    /// 400 with its reason and stores nothing; the good POST (SSID and password that need '+' and %XX decoding:
    /// home.json's AP "home net" / "p@ss word+1") is answered, written to NVS, and followed by esp_restart; the
    /// restarted firmware joins that AP and answers curl through tun0.
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func theSetupPageStoresThePostedNetworkAndTheRestartedStationJoinsIt() throws {
        let scratch = try Scratch(storing: nil)
        defer { scratch.remove() }
        let namespace = try NetworkNamespace(tag: "wmgr")
        let device = try namespace.start([Self.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0",
                                          "--ap-listen", "127.0.0.1:0"] + scratch.device(radio: Self.radio("home")))
        defer { _ = device.terminate() }
        let marker = "soft-AP link listening on "
        try #require(device.waitForOutput(containing: marker, timeout: .seconds(60)), "\(device.output.suffix(3000))")
        let apLink = try #require(device.output.components(separatedBy: marker).last?
            .split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init))
        let tun0 = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { _ = tun0.terminate() }
        let tun1 = try FirmwareDeviceProcess.bridge(namespace, to: device, link: apLink, ifname: "tun1",
                                   extra: ["--address", "192.168.4.2/24", "--mac", "02:00:00:00:00:03"])
        defer { _ = tun1.terminate() }
        try #require(device.waitForOutput(containing: "setup_portal: setup AP", timeout: .seconds(30)),
                     "\(device.output.suffix(3000))")

        func post(_ body: String) throws -> (code: String, body: String) {
            let curl = try namespace.run(["curl", "-sS", "-m", "10", "-w", "\n%{http_code}", "--data-raw", body,
                                          "http://192.168.4.1/"])
            try #require(curl.status == 0, "curl: \(curl.output)\n\(device.output.suffix(2000))")
            let parts = curl.output.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(parts.last ?? ""), parts.dropLast().joined(separator: "\n"))
        }
        let form = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.4.1/"])
        #expect(form.status == 0, "\(form.output)\n\(device.output.suffix(2000))")
        #expect(form.output.contains("<form method=\"post\" action=\"/\">") && form.output.contains("name=\"ssid\"")
                && form.output.contains("name=\"password\""), "\(form.output)")
        #expect(device.output.contains("setup_portal: station 02:00:00:00:00:03 joined, AID=1"))

        let good = "p%40ss+word%2B1"
        let rejected = [
            ("", "empty form: send ssid=NAME&password=PASSWORD"),
            ("ssid=" + String(repeating: "a", count: 600) + "&password=" + good, "form too large: at most 512 bytes"),
            ("password=" + good, "missing field: ssid"),
            ("ssid=home+net", "missing field: password"),
            ("ssid=%zz&password=" + good, "bad %-escape in ssid"),
            ("ssid=home+net&password=" + good + "%4", "bad %-escape in password"),
            ("ssid=" + String(repeating: "a", count: 33) + "&password=" + good, "ssid is too long"),
            ("ssid=home+net&password=short", "password must be empty (open network) or 8 to 63 characters"),
        ]
        for (body, message) in rejected {
            let answer = try post(body)
            #expect(answer.code == "400" && answer.body == message, "\(body.prefix(40)): \(answer)")
            #expect(device.output.contains("setup_portal: rejected form: \(message)"))
        }
        #expect(!((try? String(contentsOfFile: scratch.nvs, encoding: .utf8)) ?? "").contains("wifi_mgr"),
                "a rejected form stored something")

        let saved = try post("ssid=home+net&password=" + good)
        #expect(saved.code == "200" && saved.body == "saved network \"home net\": restarting to join it\n", "\(saved)")
        try #require(device.waitForOutput(containing: "rst:0xc (SW_CPU_RESET)", timeout: .seconds(30)),
                     "no restart after the POST:\n\(device.output.suffix(2000))")
        let nvs = try String(contentsOfFile: scratch.nvs, encoding: .utf8)
        #expect(nvs.contains("str \"wifi_mgr\" \"ssid\" \"home net\"\n") && nvs.contains("str \"wifi_mgr\" \"pass\" \"p@ss word+1\"\n"),
                "\(nvs)")

        try #require(device.waitForOutput(containing: "wifi_manager: connected to \"home net\"", timeout: .seconds(30)),
                     "\(device.output.suffix(3000))")
        let restarted = device.output.components(separatedBy: "rst:0xc").last ?? ""
        #expect(Self.texts(restarted, prefix: "stored network") == ["stored network \"home net\""])
        let wifi = try Self.status(namespace, device)
        #expect(wifi["state"] as? String == "connected" && wifi["attempts"] as? Int == 1 && wifi["rssi"] as? Int == -58,
                "\(wifi)")
        #expect(device.isRunning, "the device process survives esp_restart")
    }
}
