import Foundation

/// One Wi-Fi scenario's setup, as the kernel suite builds its own: a private network namespace, the project's
/// `uart-tunnel device` in it with the scenario's radio (`--radio`, `--radio-control`) and its own copy of the NVS
/// partition (nothing the firmware writes reaches the user's file), and `uart-tunnel bridge` making tun0
/// (192.168.100.1/24) so the kernel's ping reaches the station at the radio's lease, 192.168.100.2.
final class WifiRig {
    let namespace: NetworkNamespace
    let device: ChildProcess
    private(set) var bridge: ChildProcess?
    let tool: String
    static let port = 5556
    static let control = "127.0.0.1:5558"
    static let stationAddress = "192.168.100.2"

    /// `radio`: the scenario file; `nvs`: this scenario's NVS file (a copy, or none yet).
    init(tag: String, tool: String, deviceArguments: [String], radio: String, nvs: String) throws {
        self.tool = tool
        namespace = try NetworkNamespace(tag: "wifi-\(tag)")
        device = try namespace.start([tool, "device", "--listen", "127.0.0.1:\(Self.port)", "--log-level", "info"]
            + deviceArguments + ["--radio", radio, "--radio-control", Self.control, "--nvs", nvs])
        // a cache miss builds the project first: on a loaded machine that alone can take many seconds
        guard device.waitForOutput(containing: "tunnel listening on", timeout: .seconds(120)) else {
            throw CheckFailure("device did not start:\n\(DeviceLogFindings.startFailure(device.output))")
        }
        bridge = try namespace.start([tool, "bridge", "--connect", "127.0.0.1:\(Self.port)", "--ifname", "tun0"])
    }

    deinit { stop() }

    func stop() {
        bridge?.terminate()
        device.terminate()
    }

    var log: WifiLog { WifiLog(device.output) }

    /// Polls the device's Wi-Fi log every 50 ms until `condition` holds or `timeout` passes (or the device ended).
    @discardableResult
    func waitFor(_ timeout: Duration, _ condition: (WifiLog) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, device.isRunning {
            if condition(log) { return true }
            pause(.milliseconds(50))
        }
        return condition(log)
    }

    /// `uart-tunnel radio --connect … words`: the device's control answers "ok" or "error: …".
    func radio(_ words: String...) throws {
        let run = try namespace.run([tool, "radio", "--connect", Self.control] + words, timeout: .seconds(10))
        try require(run.status == 0 && run.output.hasPrefix("ok"), "`radio \(words.joined(separator: " "))`: \(run.output)")
    }

    /// The kernel's ping of the station: `count` echo requests, 0.2 s apart, each waiting up to 2 s.
    func ping(count: Int) throws -> PingOutput {
        PingOutput(try namespace.run(["ping", "-c", "\(count)", "-i", "0.2", "-W", "2", Self.stationAddress]).output)
    }

    /// One ping at a time until one is answered, at most `attempts` (a station that just got its lease may still
    /// be settling the kernel's ARP entry); the answered ping's output, or nil.
    func firstAnsweredPing(attempts: Int) throws -> PingOutput? {
        for _ in 0..<attempts {
            let ping = try ping(count: 1)
            if ping.lossPercent == 0 { return ping }
        }
        return nil
    }

    /// The toolkit's `/api/status` (port 8080 on the station's lwIP) through tun0.
    func status() throws -> [String: Any] {
        let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://\(Self.stationAddress):8080/api/status"])
        try require(curl.status == 0, "curl /api/status: \(curl.output)")
        guard let object = try? JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any] else {
            throw CheckFailure("/api/status is not JSON: \(curl.output.prefix(300))")
        }
        return object
    }

    /// The end of the device's log, for a failure's reason.
    func context(_ characters: Int = 1200) -> String {
        "\n--- device log ---\n\(device.output.suffix(characters))"
    }
}
