import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// `uart-tunnel device --driver firmware` against the real Linux kernel, like the Swift driver's kernel test:
/// inside a private network namespace, `uart-tunnel bridge` makes tun0 192.168.100.1/24 and the kernel's `ping` and
/// `curl` reach the firmware's lwIP and its esp_http_server at 192.168.100.2. Root only (the 192.168.100.x traffic
/// exists only inside the namespace); elsewhere skipped with the reason.
@Suite(.ownThreads) struct FirmwareKernelTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func kernelPingAndCurlReachTheFirmware() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tool), "build uart-tunnel first: \(Self.tool)")
        let report = CheckReport()
        KernelSuite(tool: Self.tool, deviceArguments: ["--driver", "firmware"]).run(into: report)
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)")
        }
        #expect(report.results.count == 6)
        // The HTTP checks saw the firmware's own pages (web_server.c), not the toolkit's.
        #expect(report.results.contains { $0.figure.hasPrefix("firmware rx_frames") }, "\(report.table())")
    }

    /// The firmware's /api/status on port 80 (its web_server.c over the host's esp_http_server) and the toolkit's
    /// status on port 8080, which lists the driver's defects: none for the in-repo firmware.
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func firmwareStatusAndToolkitDefectsOverTheTunnel() throws {
        let namespace = try NetworkNamespace(tag: "fwstat")
        let device = try namespace.start([Self.tool, "device", "--driver", "firmware", "--listen", "127.0.0.1:5556"])
        defer { device.terminate() }
        _ = try FirmwareDeviceProcess.linkAddress(of: device)
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { bridge.terminate() }
        func json(_ url: String) throws -> [String: Any] {
            let curl = try namespace.run(["curl", "-sS", "-m", "10", url])
            try #require(curl.status == 0, "curl \(url): \(curl.output)\n\(device.output.suffix(1500))")
            return try #require(try JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any],
                                "not JSON: \(curl.output)")
        }
        let firmware = try json("http://192.168.100.2/api/status")
        #expect((firmware["rx_frames"] as? Int ?? 0) > 0, "\(firmware)")
        #expect(firmware["errors"] is [String: Any], "\(firmware)")
        let toolkit = try json("http://192.168.100.2:8080/api/status")
        #expect(toolkit["driver"] as? String == "firmware")
        #expect(toolkit["ip"] as? String == "192.168.100.2", "read from the firmware's esp_netif")
        #expect((toolkit["defects"] as? [String: Any])?.isEmpty == true, "\(toolkit)")
        #expect(((toolkit["rx"] as? [String: Any])?["frames"] as? Int ?? 0) > 0, "\(toolkit)")
        #expect(device.terminate() == 0)
    }
}
