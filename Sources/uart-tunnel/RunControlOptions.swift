import ArgumentParser
import Foundation

/// Run control for `device` in CI, as Wokwi's CLI and QEMU offer it: a time limit with its own exit status, text
/// on the console that ends the run as a pass or a fail, waiting for a peer before anything runs, and readiness a
/// script can wait on.
struct RunControlOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "End the device after this many seconds with --timeout-exit-code (a CI run that must not hang).",
        valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Exit status when --timeout ends the device (Wokwi's default, 42).", valueName: "status"))
    var timeoutExitCode: Int32?

    @Option(help: ArgumentHelp(
        "End the device with status 0 when a console line (firmware output, ESP_LOG, the device's log) matches this regular expression.",
        valueName: "regex"))
    var expectText: String?

    @Option(help: ArgumentHelp("End the device with status 1 when a console line matches this regular expression.",
                               valueName: "regex"))
    var failText: String?

    @Flag(help: "Start the driver (the firmware's app_main) only once a peer has connected to --listen, like QEMU's wait=on: what it sends as it starts reaches that peer. (The Swift driver's link-up ARP is sent when the device is built, before that.)")
    var waitForPeer = false

    @Option(help: ArgumentHelp(
        "Once the device listens, write its UART endpoint (HOST:PORT or the pty) to this file; removed when the device ends. A line `uart-tunnel device ready: …` is printed on stdout too.",
        valueName: "path"))
    var readyFile: String?

    static let defaultTimeoutExitCode: Int32 = 42

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if timeoutExitCode != nil && timeout == nil { throw ValidationError("--timeout-exit-code needs --timeout") }
        for (flag, pattern) in [("--expect-text", expectText), ("--fail-text", failText)] {
            guard let pattern else { continue }
            do { _ = try Regex(pattern) } catch {
                throw ValidationError("\(flag) \(pattern): not a regular expression (\(error))")
            }
        }
    }

    /// The statuses a run-controlled device ends with; one place for the numbers `--help` and README give.
    enum Ending {
        case expectedText(String), failText(String), timeout(Int32), signal(Int32), replayed(String)

        var status: Int32 {
            switch self {
            case .expectedText: 0
            case .failText: 1
            case .timeout(let status): status
            case .signal: 0  // stopped on purpose: the device's normal end, as before
            case .replayed: 0  // --replay played its capture to the end
            }
        }

        var message: String {
            switch self {
            case .expectedText(let line): "expected text seen: \(line)"
            case .failText(let line): "fail text seen: \(line)"
            case .timeout(let status): "timeout reached: exit status \(status)"
            case .signal(let number): "stopped by signal \(number)"
            case .replayed(let what): "replay finished: \(what)"
            }
        }
    }

    var watchesConsole: Bool { expectText != nil || failText != nil }
}
