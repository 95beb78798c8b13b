import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Conformance checks with a report: the device's UART endpoint, and (as root) the real kernel.",
        discussion: """
            With no subcommand, runs everything on the in-repo code: the device suite against an in-process \
            device; the kernel suite (device + `uart-tunnel bridge` + kernel ping/curl in a private network \
            namespace); the bridge suite on `uart-tunnel bridge` (tap and tun) and on the seed's Python bridge. \
            Namespace suites are skipped with the reason when not root. The suites run at once (each with its own \
            devices, each namespace suite in its own namespace); the paced RTT is measured alone after them. One \
            progress line per finished check on stderr; the table keeps the suites' order. Exit status 0 only if \
            no check failed.
            """,
        subcommands: [CheckAll.self, CheckDevice.self, CheckBridge.self, CheckKernel.self, CheckParity.self],
        defaultSubcommand: CheckAll.self
    )
}

/// Options every check subcommand shares.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Print the report as JSON (for CI) instead of a table.")
    var json = false

    @Option(help: "Log level of an in-process device: error, warn, info, debug or verbose.")
    var logLevel: ESPLogLevel = .error

    func makeReport() -> CheckReport {
        UartTunnelLogging.bootstrap(level: logLevel)
        return CheckReport { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    func finish(_ report: CheckReport) throws {
        print(json ? report.json() : report.table())
        if !report.allPassed { throw ExitCode.failure }
    }
}
