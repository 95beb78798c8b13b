import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// The clean-room project `Fixtures/projects/web_app`, built by `uart-tunnel device --project` and reached by the
/// kernel's `curl` through `uart-tunnel bridge` (tun0 192.168.100.1/24) inside a private network namespace: its
/// embedded index.html and robots.txt byte for byte, its cJSON API, a POST saved to NVS followed by esp_restart(),
/// and the saved value served by the restarted firmware. Root only; elsewhere skipped with the reason.
@Suite(.ownThreads) struct ProjectKernelTests {
    static var tool: String { BuiltExecutable.uartTunnel }
    static let webApp = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/projects/web_app").path

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func theProjectServesItsFilesAndKeepsAPostedValueAcrossEspRestart() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tool), "build uart-tunnel first: \(Self.tool)")
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-project-kernel-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let namespace = try NetworkNamespace(tag: "prjweb")
        let device = try namespace.start([Self.tool, "device", "--listen", "127.0.0.1:5556", "--status-port", "0",
                                          "--project", Self.webApp, "--build-dir", scratch + "/build",
                                          "--nvs", scratch + "/nvs.txt"])
        defer { device.terminate() }
        _ = try FirmwareDeviceProcess.linkAddress(of: device)
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { bridge.terminate() }
        // app_main runs beside the link: its last line says the web UI is up
        try #require(device.waitForOutput(containing: "web_app: up, greeting", timeout: .seconds(60)),
                     "\(device.output.suffix(2000))")

        func download(_ path: String) throws -> Data {
            let file = scratch + "/body"
            let curl = try namespace.run(["curl", "-sS", "-m", "10", "-o", file, "http://192.168.100.2" + path])
            try #require(curl.status == 0, "curl \(path): \(curl.output)\n\(device.output.suffix(1500))")
            return try #require(FileManager.default.contents(atPath: file))
        }
        func json(_ arguments: [String]) throws -> [String: Any] {
            let curl = try namespace.run(["curl", "-sS", "-m", "5"] + arguments)
            try #require(curl.status == 0, "curl \(arguments): \(curl.output)\n\(device.output.suffix(1500))")
            return try #require(try JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any],
                                "not JSON: \(curl.output)")
        }

        // EMBED_FILES / EMBED_TXTFILES as the firmware serves them (end - start: the text file's NUL included).
        let www = Self.webApp + "/components/webui/www/"
        #expect(try download("/") == FileManager.default.contents(atPath: www + "index.html"))
        #expect(try download("/robots.txt") == FileManager.default.contents(atPath: www + "robots.txt").map { $0 + [0] })

        // A fresh NVS and a power-on start: no name yet, esp_reset_reason() ESP_RST_POWERON (1).
        let hello = try json(["http://192.168.100.2/api/hello"])
        #expect(hello["greeting"] as? String == "hello", "greeting_quiet.c: CONFIG_APP_LOUD_GREETING is n")
        #expect(hello["name"] as? String == "" && hello["reset_reason"] as? Int == 1, "\(hello)")

        let saved = try json(["-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"name\":\"ada\"}",
                              "http://192.168.100.2/api/name"])
        #expect(saved["saved"] as? String == "ada", "\(saved)")
        #expect(device.waitForOutput(containing: "rst:0xc (SW_CPU_RESET)", timeout: .seconds(30)),
                "no chip reset after the POST:\n\(device.output.suffix(1500))")

        // The restarted firmware (ESP_RST_SW, 3) reads the name back from NVS. Bounded polling: its HTTP server is
        // up again once app_main has run, over the same bridge connection.
        var after: [String: Any] = [:]
        let restartDeadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < restartDeadline {
            let curl = try namespace.run(["curl", "-sS", "-m", "2", "http://192.168.100.2/api/hello"])
            if curl.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any],
               object["reset_reason"] as? Int == 3 {
                after = object
                break
            }
            pause(.milliseconds(200))
        }
        #expect(after["reset_reason"] as? Int == 3, "no answer from the restarted firmware:\n\(device.output.suffix(2000))")
        #expect(after["name"] as? String == "ada", "\(after)")
        #expect(device.isRunning, "the device process must survive esp_restart")
    }
}
