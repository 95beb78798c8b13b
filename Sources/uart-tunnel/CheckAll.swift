import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

struct CheckAll: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every suite (the default).")
    @OptionGroup var options: ReportOptions

    func run() throws {
        let report = options.makeReport(command: "check all")
        let tool = currentExecutable()
        // Every suite has its own device(s), and the namespace suites a namespace each: they run at once, so
        // their waits (partial-frame timeouts, ping intervals, reconnects) overlap. The table keeps this order.
        var plan = CheckPlan()
        plan.add(parameters: ["driver": "swift", "process": "in-process"]) { report in
            do { try runDeviceSuiteInProcess(into: report) } catch {
                report.run(DeviceSuite.name, "start an in-process device") { throw error }
            }
        }
        plan.add(parameters: ["driver": "firmware"]) { runDeviceSuiteInChild(tool: tool, arguments: firmwareArguments, label: "device (firmware)", into: $0) }
        plan.add(parameters: ["a": "--driver swift", "b": firmwareArguments.joined(separator: " ")]) { ParitySuite(tool: tool, left: ("swift", []), right: ("firmware", firmwareArguments)).run(into: $0) }
        plan.add { KernelSuite(tool: tool).run(into: $0) }
        for mode in ["tap", "tun"] {
            plan.add(parameters: ["bridge": "uart-tunnel", "mode": mode]) {
                BridgeSuite(command: [tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}",
                                      "--mode", mode], label: "bridge (\(mode))").run(into: $0)
            }
        }
        plan.add(parameters: ["bridge": "serial_tun_bridge.py", "mode": "tun"]) { BridgeSuite(command: RepositoryPaths.pythonBridgeCommand, label: "bridge (python)").run(into: $0) }
        // The paced RTT must sit within 1 ms of the wire's minimum: measured alone, after the rest.
        plan.add(.alone, parameters: ["baud": "115200", "frame": "8N1"]) { PacedSuite(tool: tool).run(into: $0) }
        plan.add(parameters: ["driver": "swift", "baud": "115200", "frame": "8N1"]) {
            runDeviceSuiteInChild(tool: tool, arguments: ["--baud", "115200"], label: "device (swift, 115200 baud)",
                                  lineBytesPerSecond: 11_520, into: $0)
        }
        plan.add { runAudit(into: $0) }
        plan.run(into: report)
        try options.finish(report, command: "check all")
    }
}
