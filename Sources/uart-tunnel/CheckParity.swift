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

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Device arguments for side A, split like a shell splits words, e.g. \"--driver swift\".",
        valueName: "arguments"))
    var a: String = "--driver swift"

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Device arguments for side B, e.g. \"--driver firmware\" or \"--driver my_drv.c --driver 'my dir/app.c'\".",
        valueName: "arguments"))
    var b: String = firmwareArguments.joined(separator: " ")

    func validate() throws {
        for (name, value) in [("--a", a), ("--b", b)] {
            do { _ = try ShellWords.split(value) } catch { throw ValidationError("\(name) \(value): \(error)") }
        }
    }

    func run() throws {
        let report = options.makeReport(command: "check parity")
        let left = try ShellWords.split(a)
        let right = try ShellWords.split(b)
        report.run(parameters: ["a": a, "b": b]) {
            ParitySuite(tool: currentExecutable(), left: (a, left), right: (b, right)).run(into: $0)
        }
        try options.finish(report, command: "check parity")
    }
}
