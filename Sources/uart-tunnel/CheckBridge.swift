import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

struct CheckBridge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Conformance of any bridge: a fake device and the real kernel in a private network namespace (root).",
        discussion: """
            The bridge command follows `--`; `{port}` becomes the fake device's TCP port (on the namespace's \
            loopback) and `{ifname}` the interface to serve (tun0). Without a command, `uart-tunnel bridge` in tap \
            mode is checked. Examples:
              uart-tunnel check bridge -- uart-tunnel bridge --connect 127.0.0.1:{port} --ifname {ifname} --mode tun
              uart-tunnel check bridge -- python3 firmware/tools/serial_tun_bridge.py --port {port} --ifname {ifname}
            """
    )
    @OptionGroup var options: ReportOptions

    @Argument(parsing: .postTerminator, help: "The bridge's command line, with {port} and {ifname} placeholders.")
    var command: [String] = []

    func run() throws {
        let report = options.makeReport(command: "check bridge")
        let bridge = command.isEmpty
            ? [currentExecutable(), "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}"]
            : command
        report.run(parameters: ["bridge": bridge.joined(separator: " ")]) { BridgeSuite(command: bridge).run(into: $0) }
        try options.finish(report, command: "check bridge")
    }
}
