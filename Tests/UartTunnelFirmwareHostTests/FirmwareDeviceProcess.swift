import Foundation
@testable import UartTunnelChecks
import UartTunnelSystem

/// `uart-tunnel device --driver …` as a child process on an ephemeral loopback port: lwIP is one stack per
/// process, and a child isolates a firmware that crashes.
struct FirmwareDeviceProcess {
    let child: ChildProcess
    let address: SocketAddress

    static var tool: String { BuiltExecutable.uartTunnel }
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ path: String) -> String { fixtures.appendingPathComponent(path).path }

    /// Starts the device and waits for its "listening on" line (after compiling the C files).
    init(_ driverArguments: [String], extra: [String] = []) throws {
        child = try ChildProcess([Self.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0"]
            + driverArguments + extra)
        address = try Self.linkAddress(of: child)
    }

    /// A bridge inside `namespace` from `link` (default: the device's UART link) to `ifname` (default: tun0,
    /// 192.168.100.1/24); returns once the interface has its address.
    static func bridge(_ namespace: NetworkNamespace, to device: ChildProcess, link: String? = nil,
                       ifname: String = "tun0", extra: [String] = []) throws -> ChildProcess {
        let link = try link ?? FirmwareDeviceProcess.linkAddress(of: device).description
        let bridge = try namespace.start([BuiltExecutable.uartTunnel, "bridge", "--connect", link, "--ifname", ifname] + extra)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline,
              !(try namespace.run(["ip", "-o", "addr", "show", "dev", ifname]).output.contains("inet ")) {
            pause(.milliseconds(100))
        }
        return bridge
    }

    /// The link's address from "UART1 tunnel listening on HOST:PORT;" (the firmware's web server logs its own
    /// "listening on port 80" first).
    static func linkAddress(of child: ChildProcess) throws -> SocketAddress {
        try ChildDevice.listeningAddress(of: child, name: "firmware")
    }

    var output: String { child.output }

    /// The `DEFECT <name>` lines the host layer logged.
    var defectLines: [String] { output.split(separator: "\n").map(String.init).filter { $0.contains(" DEFECT ") } }

    /// Presence: the wait ends when the line appears, so a generous bound costs nothing when things work.
    func waitForDefect(_ name: String, timeout: Duration = .seconds(15)) -> Bool {
        child.waitForOutput(containing: "DEFECT \(name):", timeout: timeout)
    }
}
