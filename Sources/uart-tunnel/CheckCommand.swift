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
            progress line per finished check on stderr; the table keeps the suites' order. \
            Ctrl-C (SIGINT) or SIGTERM stops every device and bridge the checks started, deletes their namespaces \
            and temporary files, prints the table of the checks that ended and exits 130 or 143.

            Exit status: 0 every check passed (skips allowed), 1 a check failed, 77 every check was skipped (not \
            root: CTest's SKIP_RETURN_CODE), 2 a mistake in the command line, 130/143 interrupted.
            """,
        subcommands: [CheckAll.self, CheckDevice.self, CheckBridge.self, CheckKernel.self, CheckParity.self, CheckWifi.self],
        defaultSubcommand: CheckAll.self
    )
}

/// Options every check subcommand shares, and how a check run ends: the report on stdout (table or JSON), the
/// JUnit file, the exit status — and the same on SIGINT/SIGTERM, after the teardown, for the checks that ended.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Print the report as JSON (snake_case, with schema and tool version, check ids, parameters, durations and figures) instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Also write the report as JUnit XML to this file (GitLab, GitHub, Jenkins).",
                               valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Log level of an in-process device. " + logLevelHelp, valueName: "level"))
    var logLevel: ESPLogLevel = .error

    /// Starts the report for `command` ("check all") and installs the teardown: on SIGINT/SIGTERM every child
    /// is stopped, the namespaces and temporary files removed, the partial report printed, and the process
    /// exits 130/143.
    func makeReport(command: String) -> CheckReport {
        UartTunnelLogging.bootstrap(level: logLevel)
        let report = CheckReport { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let options = self
        CheckTeardown.install(report: report) { report in options.emit(report, command: command) }
        return report
    }

    func finish(_ report: CheckReport, command: String) throws {
        // Interrupted: the suites ended early because their children were stopped; the signal handler is still
        // tearing down and will print the report and exit. Exiting here would cut the teardown short.
        if report.interruption != nil {
            sleep(120)
            Foundation.exit(report.exitCode)
        }
        emit(report, command: command)
        let code = report.exitCode
        if code != 0 { throw ExitCode(code) }
    }

    /// Prints the table or JSON and writes the JUnit file (a file that cannot be written is said on stderr).
    private func emit(_ report: CheckReport, command: String) {
        print(json ? report.json(toolVersion: uartTunnelVersion, command: command) : report.table())
        if let junit {
            do {
                try Data(report.junit(command: command).utf8).write(to: URL(fileURLWithPath: junit))
            } catch {
                FileHandle.standardError.write(Data("Error: cannot write the JUnit report \(junit): \(error.localizedDescription)\n".utf8))
            }
        }
        fflush(nil)
    }
}
