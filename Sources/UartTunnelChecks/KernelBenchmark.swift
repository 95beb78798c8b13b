import Foundation

/// Kernel <-> device figures through a bridge, in a private namespace: ping RTT (median, p99) and TCP bulk
/// throughput (the kernel's curl downloading from the device's lwIP web server). Prints numbers; passes nothing.
public struct KernelBenchmark {
    public struct Row: Sendable {
        public let bridge: String
        public var pingMedianMs: Double?
        public var pingP99Ms: Double?
        public var bulkBytesPerSecond: Double?
        public var note = ""
    }

    public let tool: String
    public let deviceArguments: [String]
    public let pings: Int
    public let bulkBytes: Int
    /// The lwIP port that serves GET /bytes/N: the Swift driver's web server (80) or a firmware's status port (8080).
    public let httpPort: Int

    public init(tool: String, deviceArguments: [String] = [], pings: Int = 500, bulkBytes: Int = 16 << 20,
                httpPort: Int = 80) {
        self.tool = tool
        self.deviceArguments = deviceArguments
        self.httpPort = httpPort
        self.pings = pings
        self.bulkBytes = bulkBytes
    }

    /// `bridge` is an argv with `{port}` and `{ifname}` placeholders.
    public func measure(name: String, bridge: [String]) -> Row {
        var row = Row(bridge: name)
        if let reason = NetworkNamespace.unavailableReason {
            row.note = "skipped: \(reason)"
            return row
        }
        do {
            let namespace = try NetworkNamespace(tag: "bench")
            let device = try namespace.start([tool, "device", "--listen", "127.0.0.1:5556", "--log-level", "error"]
                + deviceArguments)
            defer { device.terminate() }
            pause(.milliseconds(300))
            let bridgeProcess = try namespace.start(BridgeCommandTemplate.substitute(bridge, port: 5556, ifname: "tun0"))
            defer { bridgeProcess.terminate() }
            // Warm up: the interface comes up and the kernel learns the device's MAC.
            // (a firmware driver compiles first)
            let deadline = ContinuousClock.now + .seconds(30)
            while try namespace.run(["ping", "-c", "1", "-W", "1", "192.168.100.2"]).status != 0 {
                guard ContinuousClock.now < deadline else { throw CheckFailure("no ping reply within 30 s") }
            }
            let ping = PingOutput(try namespace.run(["ping", "-c", "\(pings)", "-i", "0.002", "192.168.100.2"],
                                                    timeout: .seconds(120)).output)
            row.pingMedianMs = ping.medianRTT
            row.pingP99Ms = PingOutput.percentile(ping.rtts, 0.99)
            let curl = try namespace.run(["curl", "-sS", "-o", "/dev/null", "-m", "120", "-w",
                                          "%{http_code} %{size_download} %{speed_download}",
                                          "http://192.168.100.2:\(httpPort)/bytes/\(bulkBytes)"], timeout: .seconds(150))
            let fields = curl.output.split(separator: " ")
            if curl.status == 0, fields.count == 3, fields[0] == "200", Int(fields[1]) == bulkBytes {
                row.bulkBytesPerSecond = Double(fields[2])
            } else {
                row.note = "bulk: \(curl.output.prefix(120))"
            }
        } catch {
            row.note = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
        }
        return row
    }

    public static func table(_ rows: [Row], bulkBytes: Int) -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.3f ms", $0) } ?? "-" }
        func rate(_ value: Double?) -> String { value.map { String(format: "%.1f MB/s", $0 / 1e6) } ?? "-" }
        var lines = ["bridge                      ping median   ping p99     TCP bulk device->kernel (\(bulkBytes >> 20) MiB)"]
        for row in rows {
            lines.append(row.bridge.padding(toLength: 28, withPad: " ", startingAt: 0)
                + ms(row.pingMedianMs).padding(toLength: 14, withPad: " ", startingAt: 0)
                + ms(row.pingP99Ms).padding(toLength: 13, withPad: " ", startingAt: 0)
                + rate(row.bulkBytesPerSecond) + (row.note.isEmpty ? "" : "  (\(row.note))"))
        }
        return lines.joined(separator: "\n")
    }
}
