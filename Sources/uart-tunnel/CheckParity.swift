import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

struct CheckParity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity",
        abstract: "Same input to two drivers, compare their output records (ARP/ICMP/UDP exact, TCP normalised).",
        discussion: """
            Each driver runs as its own `uart-tunnel device` process. By default the Swift reference driver is \
            compared with the in-repo firmware driver (`--driver firmware`). A difference is printed with the \
            record number and a hex diff.
            """
    )
    @OptionGroup var options: ReportOptions

    @Option(help: "Device arguments for side A (space separated), e.g. \"--driver swift\".")
    var a: String = "--driver swift"

    @Option(help: "Device arguments for side B, e.g. \"--driver firmware\" or \"--driver my_drv.c --driver app.c\".")
    var b: String = firmwareArguments.joined(separator: " ")

    func run() throws {
        let report = options.makeReport()
        let left = a.split(separator: " ").map(String.init)
        let right = b.split(separator: " ").map(String.init)
        ParitySuite(tool: currentExecutable(), left: (a, left), right: (b, right)).run(into: report)
        try options.finish(report)
    }
}
