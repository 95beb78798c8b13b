import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

struct CheckKernel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Device + bridge + the kernel's ping and curl, in a private network namespace (root)."
    )
    @OptionGroup var options: ReportOptions

    func run() throws {
        let report = options.makeReport(command: "check kernel")
        KernelSuite(tool: currentExecutable()).run(into: report)
        try options.finish(report, command: "check kernel")
    }
}
