import Foundation
import UartTunnelWire

/// The device and a bridge against the real Linux kernel: inside a private network namespace, the bridge makes
/// `tun0` (192.168.100.1/24, MAC 02:00:00:00:00:01) and the kernel's own `ping` and `curl` reach the device's
/// lwIP at 192.168.100.2. Needs root; otherwise every check is skipped with the reason.
public struct KernelSuite {
    public static let name = "kernel"
    /// The `uart-tunnel` executable that runs the device (and, by default, the bridge).
    public let tool: String
    /// The bridge's argv; `{port}` and `{ifname}` are substituted.
    public let bridgeCommand: [String]
    /// TAP bridges give tun0 the host MAC; a TUN interface has none to check.
    public let checksMAC: Bool
    /// Extra `device` arguments, e.g. `["--driver", "firmware"]`: then port 80 serves the firmware's own pages
    /// (`/api/status` as `{"rx_frames":…}`), which the HTTP checks accept too.
    public let deviceArguments: [String]
    public let ifname = "tun0"
    let port: UInt16 = 5556

    public init(tool: String, bridgeCommand: [String]? = nil, checksMAC: Bool = true, deviceArguments: [String] = []) {
        self.tool = tool
        self.checksMAC = checksMAC
        self.deviceArguments = deviceArguments
        self.bridgeCommand = bridgeCommand ?? [tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}"]
    }

    static let checkNames = [
        "bridge brings up tun0 with 192.168.100.1/24, MTU 1500, MAC 02:00:00:00:00:01",
        "kernel ping -c 5 192.168.100.2: 0% loss",
        "curl http://192.168.100.2/api/status returns the device's JSON",
        "curl http://192.168.100.2/ returns the status page",
        "device exits 0 on SIGTERM",
        "bridge exits 0 on SIGTERM",
    ]

    public func run(into report: CheckReport) {
        run(into: report, unavailableReason: NetworkNamespace.unavailableReason)
    }

    func run(into report: CheckReport, unavailableReason: String?) {
        if let reason = unavailableReason {
            for name in Self.checkNames { report.skip(Self.name, name, reason: reason) }
            return
        }
        let namespace: NetworkNamespace
        let device: ChildProcess
        let bridge: ChildProcess
        do {
            namespace = try NetworkNamespace(tag: "kernel")
            device = try namespace.start([tool, "device", "--listen", "127.0.0.1:\(port)"] + deviceArguments)
            // a firmware driver compiles first: on a loaded machine that alone can take many seconds
            guard device.waitForOutput(containing: "listening on", timeout: .seconds(60)) else {
                throw CheckFailure("device did not start: \(device.output.suffix(600))")
            }
            bridge = try namespace.start(BridgeCommandTemplate.substitute(bridgeCommand, port: port, ifname: ifname))
        } catch {
            for name in Self.checkNames { report.run(Self.name, name) { throw error } }
            return
        }
        func context() -> String {
            "\n--- device log ---\n\(device.output.suffix(800))\n--- bridge log ---\n\(bridge.output.suffix(800))"
        }

        report.run(Self.name, Self.checkNames[0]) {
            let deadline = ContinuousClock.now + .seconds(10)
            var link = ""
            while ContinuousClock.now < deadline {
                let shown = try namespace.run(["ip", "-o", "addr", "show", "dev", ifname])
                link = try namespace.run(["ip", "-o", "link", "show", "dev", ifname]).output
                if shown.output.contains("192.168.100.1/24"), link.contains("state UP") || link.contains(",UP") { break }
                pause(.milliseconds(100))
            }
            try require(link.contains("mtu 1500"), "tun0 not up with MTU 1500: \(link)\(context())")
            if checksMAC {
                try require(link.contains("02:00:00:00:00:01"), "tun0 MAC is not 02:00:00:00:00:01: \(link)")
            }
            return "up"
        }
        report.run(Self.name, Self.checkNames[1]) {
            let ping = try namespace.run(["ping", "-c", "5", "-i", "0.2", "-W", "2", "192.168.100.2"])
            try require(ping.status == 0 && ping.output.contains(" 0% packet loss"), "\(ping.output)\(context())")
            return Self.rttSummary(ping.output)
        }
        report.run(Self.name, Self.checkNames[2]) {
            let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2/api/status"])
            try require(curl.status == 0, "curl failed: \(curl.output)\(context())")
            guard let object = try? JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any] else {
                throw CheckFailure("not JSON: \(curl.output.prefix(300))")
            }
            if let firmwareFrames = object["rx_frames"] as? Int {  // the in-repo firmware's web_server.c
                try require(firmwareFrames > 0, "rx_frames is \(firmwareFrames) after ping and HTTP")
                return "firmware rx_frames \(firmwareFrames)"
            }
            try require(object["ip"] as? String == "192.168.100.2", "ip field: \(object["ip"] ?? "missing")")
            let rx = object["rx"] as? [String: Any]
            let frames = rx?["frames"] as? Int ?? 0
            try require(frames > 0, "rx.frames is \(frames) after ping and HTTP")
            return "rx \(frames) frames"
        }
        report.run(Self.name, Self.checkNames[3]) {
            let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2/"])
            try require(curl.status == 0 && (curl.output.contains("uart-tunnel device")
                                             || curl.output.contains("ESP32 over the UART tunnel")),
                        "\(curl.output.prefix(300))")
            return "\(curl.output.utf8.count) B"
        }
        report.run(Self.name, Self.checkNames[4]) {
            let status = device.terminate()
            try require(status == 0, "exit status \(status)\(context())")
            return "exit 0"
        }
        report.run(Self.name, Self.checkNames[5]) {
            let status = bridge.terminate()
            try require(status == 0, "exit status \(status)\(context())")
            return "exit 0"
        }
    }

    /// "rtt min/avg/max/mdev = 0.061/0.083/0.120/0.020 ms" → "avg 0.083 ms".
    static func rttSummary(_ output: String) -> String {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("min/avg/max") }),
              let values = line.split(separator: "=").last?.split(separator: "/"), values.count >= 2
        else { return "" }
        return "rtt avg \(values[1].trimmingCharacters(in: .whitespaces)) ms"
    }
}
