import Foundation
import Synchronization
import UartTunnelLog
import UartTunnelSystem

/// A program the checks start (a device, a bridge, ping, curl), with its output captured to a file so a
/// failing check can quote it. Arguments are an argv array: nothing goes through a shell. Started by a test,
/// its output also goes into that test's `TestLog`, shown only if the test fails.
///
/// Every child stays in this process's process group and gets SIGTERM from the kernel if this process dies
/// (`ChildSpawn`); while it runs it is listed, so `terminateAll()` (the check's SIGINT/SIGTERM handler) can stop
/// every child at once, and its log is a registered temporary file (`TemporaryPaths`).
public final class ChildProcess: @unchecked Sendable {
    public let arguments: [String]
    public let pid: pid_t
    private let outputPath: String
    private let status = Mutex<Int32?>(nil)
    private var testOutput: TestLog.ChildOutput?

    public convenience init(_ arguments: [String], environment: [String: String]? = nil) throws {
        try self.init(arguments, environment: environment, duringTeardown: false)
    }

    /// `duringTeardown`: a child the teardown itself needs (`ip netns del`); any other is refused once it began.
    init(_ arguments: [String], environment: [String: String]?, duringTeardown: Bool) throws {
        precondition(!arguments.isEmpty)
        // Counted while starting, so the teardown waits for a start under way (its log file and its pid must be
        // registered before the teardown looks) and refuses any later one.
        let admitted = Self.starts.withLock { state in
            guard duringTeardown || !state.tearingDown else { return false }
            state.inFlight += 1
            return true
        }
        guard admitted else { throw CheckFailure("not started: the run is being interrupted") }
        defer { Self.starts.withLock { $0.inFlight -= 1 } }
        self.arguments = arguments
        outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-\(getpid())-\(UUID().uuidString.prefix(8)).log").path
        let executable = try Self.resolve(arguments[0])
        TemporaryPaths.register(outputPath)
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            if output >= 0 { close(output) }
            if input >= 0 { close(input) }
        }
        guard output >= 0, input >= 0 else {
            TemporaryPaths.remove(outputPath)
            throw CheckFailure("cannot open \(outputPath): \(SystemError.message(for: errno))")
        }
        do {
            pid = try ChildSpawn.start(path: executable, arguments: arguments, environment: environment,
                                       input: Descriptor(rawValue: input), output: Descriptor(rawValue: output))
        } catch {
            TemporaryPaths.remove(outputPath)
            throw CheckFailure("cannot start \(arguments[0]): \(error)")
        }
        Self.running.withLock { $0[pid] = WeakChild(child: self) }
        testOutput = TestLog.current?.child(arguments) { [weak self] in self?.summary ?? "" }
    }

    deinit {
        if isRunning { terminate() }
        Self.running.withLock { _ = $0.removeValue(forKey: pid) }
        testOutput?.finish(summary)
        TemporaryPaths.remove(outputPath)
    }

    /// The output and how the program ended, for a failing test's report.
    private var summary: String {
        output.trimmingCharacters(in: .newlines) + (exitStatus.map { "\n(exit status \($0))" } ?? "\n(still running)")
    }

    /// Its exit status once it has ended (128 + the signal if a signal ended it), else nil.
    public var exitStatus: Int32? {
        status.withLock { known in
            if known == nil { known = try? ChildSpawn.reap(pid) }
            return known
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Everything the program printed so far (stdout and stderr interleaved).
    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Waits up to `timeout` for the program to end; nil if it is still running.
    @discardableResult
    public func wait(timeout: Duration) -> Int32? {
        if let exitStatus { return exitStatus }
        _ = try? ChildSpawn.waitEnded(pid, timeout: timeout)
        return exitStatus
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace`. Returns the exit status.
    @discardableResult
    public func terminate(grace: Duration = .seconds(3)) -> Int32 {
        if let exitStatus { return exitStatus }
        kill(pid, SIGTERM)
        return finish(grace: grace)
    }

    /// After a SIGTERM: waits up to `grace`, then SIGKILL and reaps.
    private func finish(grace: Duration) -> Int32 {
        if let status = wait(timeout: grace) { return status }
        kill(pid, SIGKILL)
        return wait(timeout: .seconds(10)) ?? 128 + SIGKILL
    }

    /// Polls the output until `text` appears (e.g. a "listening" line); false on timeout or early exit.
    public func waitForOutput(containing text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            if !isRunning { return output.contains(text) }
            usleep(20_000)
        }
        return false
    }

    /// Runs a program to completion and returns its status and output.
    public static func run(_ arguments: [String], timeout: Duration = .seconds(30), duringTeardown: Bool = false) throws
        -> (status: Int32, output: String) {
        let child = try ChildProcess(arguments, environment: nil, duringTeardown: duringTeardown)
        guard let status = child.wait(timeout: timeout) else {
            child.terminate()
            return (-1, child.output + "\n(timed out after \(timeout))")
        }
        return (status, child.output)
    }

    // MARK: every running child, for teardown

    private struct WeakChild: @unchecked Sendable {
        weak var child: ChildProcess?
    }

    private static let running = Mutex<[pid_t: WeakChild]>([:])
    private static let starts = Mutex((tearingDown: false, inFlight: 0))

    /// The children started by this process that have not been reaped yet.
    public static var runningChildren: [ChildProcess] {
        running.withLock { Array($0.values.compactMap(\.child)) }.filter(\.isRunning)
    }

    /// Stops every running child at once: SIGTERM to all, then SIGKILL to those still running after `grace`.
    /// Returns how many were stopped.
    /// From then on no child starts (a check still running would otherwise start one after the last was stopped).
    @discardableResult
    public static func terminateAll(grace: Duration = .seconds(2)) -> Int {
        starts.withLock { $0.tearingDown = true }
        let settled = ContinuousClock.now + .seconds(2)
        while starts.withLock({ $0.inFlight > 0 }) && ContinuousClock.now < settled { usleep(1_000) }
        let children = runningChildren
        for child in children { kill(child.pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        for child in children { _ = child.finish(grace: max(.zero, deadline - ContinuousClock.now)) }
        return children.count
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
