import Foundation
import UartTunnelLog

/// A program the checks start (a device, a bridge, ping, curl), with its output captured to a file so a
/// failing check can quote it. Arguments are an argv array: nothing goes through a shell. Started by a test,
/// its output also goes into that test's `TestLog`, shown only if the test fails.
public final class ChildProcess: @unchecked Sendable {
    public let arguments: [String]
    private let process = Process()
    private let outputURL: URL
    private var testOutput: TestLog.ChildOutput?

    public init(_ arguments: [String], environment: [String: String]? = nil) throws {
        precondition(!arguments.isEmpty)
        self.arguments = arguments
        outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-\(getpid())-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        process.executableURL = URL(fileURLWithPath: try Self.resolve(arguments[0]))
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        if let environment { process.environment = environment }
        Self.unblockTerminationSignals()
        try process.run()
        try? output.close()
        testOutput = TestLog.current?.child(arguments) { [weak self] in self?.summary ?? "" }
    }

    deinit {
        if process.isRunning { terminate() }
        testOutput?.finish(summary)
        try? FileManager.default.removeItem(at: outputURL)
    }

    /// The output and how the program ended, for a failing test's report.
    private var summary: String {
        output.trimmingCharacters(in: .newlines)
            + (process.isRunning ? "\n(still running)" : "\n(exit status \(process.terminationStatus))")
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }

    /// Everything the program printed so far (stdout and stderr interleaved).
    public var output: String {
        (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    }

    /// Waits up to `timeout` for the program to end; nil if it is still running.
    @discardableResult
    public func wait(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace`. Returns the exit status.
    @discardableResult
    public func terminate(grace: Duration = .seconds(3)) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        if let status = wait(timeout: grace) { return status }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Polls the output until `text` appears (e.g. a "listening" line); false on timeout or early exit.
    public func waitForOutput(containing text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            usleep(20_000)
        }
        return false
    }

    /// Runs a program to completion and returns its status and output.
    public static func run(_ arguments: [String], timeout: Duration = .seconds(30)) throws -> (status: Int32, output: String) {
        let child = try ChildProcess(arguments)
        guard let status = child.wait(timeout: timeout) else {
            child.terminate()
            return (-1, child.output + "\n(timed out after \(timeout))")
        }
        return (status, child.output)
    }

    /// A child inherits its parent's blocked-signal mask across exec, and test runners block SIGTERM/SIGINT on
    /// their threads: a Python bridge would then never see the SIGTERM a check sends. Unblock them on the
    /// spawning thread so every child starts with them deliverable.
    static func unblockTerminationSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// An absolute path for `name`, searching PATH (and the sbin folders root's tools live in).
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CheckFailure("\(name) not found on PATH")
    }
}
