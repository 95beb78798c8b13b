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
        let report = options.makeReport()
        let tool = currentExecutable()
        try runDeviceSuiteInProcess(into: report)
        runDeviceSuiteInChild(tool: tool, arguments: firmwareArguments, label: "device (firmware)", into: report)
        ParitySuite(tool: tool, left: ("swift", []), right: ("firmware", firmwareArguments)).run(into: report)
        KernelSuite(tool: tool).run(into: report)
        for mode in ["tap", "tun"] {
            BridgeSuite(command: [tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}",
                                  "--mode", mode], label: "bridge (\(mode))").run(into: report)
        }
        BridgeSuite(command: RepositoryPaths.pythonBridgeCommand, label: "bridge (python)").run(into: report)
        PacedSuite(tool: tool).run(into: report)
        runDeviceSuiteInChild(tool: tool, arguments: ["--baud", "115200"], label: "device (swift, 115200 baud)",
                              lineBytesPerSecond: 11_520, into: report)
        runAudit(into: report)
        try options.finish(report)
    }
}
