import Foundation
import Logging
import Synchronization

/// Prints log lines the way ESP-IDF does, `W (1234) uart_tunnel: message`, so logs from the toolkit and from a
/// QEMU run of the firmware read alike (and `grep "RX:"` works on both). Time is milliseconds since start.
public struct ESPLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let tag: String
    /// Where finished lines go (each ends in a newline); standard error unless a test process keeps them.
    private let output: @Sendable (String) -> Void

    private static let start = ContinuousClock.now
    private static let lock = NSLock()

    public init(label: String, level: Logger.Level, output: (@Sendable (String) -> Void)? = nil) {
        self.tag = label
        self.logLevel = level
        self.output = output ?? Self.standardError
    }

    @Sendable static func standardError(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let elapsed = ContinuousClock.now - Self.start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        output("\(Self.letter(event.level)) (\(ms)) \(tag): \(event.message)\n")
    }

    static func letter(_ level: Logger.Level) -> Character {
        switch level {
        case .critical, .error: "E"
        case .warning: "W"
        case .notice, .info: "I"
        case .debug: "D"
        case .trace: "V"
        }
    }
}

/// Installs the ESP-style handler once per process; later calls only change the level.
public enum UartTunnelLogging {
    nonisolated(unsafe) private static var bootstrapped = false
    private static let lock = NSLock()
    nonisolated(unsafe) public private(set) static var level: ESPLogLevel = .info

    public static func bootstrap(level: ESPLogLevel) {
        bootstrap(level: level, output: nil)
    }

    /// For a test process: lines at `level` and above go to `CapturedLog`, not to the terminal, and a test that
    /// fails shows the ones written while it ran. `UART_TUNNEL_TEST_LOG=1` also prints them as they come.
    public static func bootstrapForTests(level: ESPLogLevel = .warn) {
        bootstrap(level: level) { line in CapturedLog.append(line) }
    }

    private static func bootstrap(level: ESPLogLevel, output: (@Sendable (String) -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        Self.level = level
        guard !bootstrapped else { return }
        bootstrapped = true
        LoggingSystem.bootstrap { label in
            ESPLogHandler(label: label, level: UartTunnelLogging.level.loggerLevel, output: output)
        }
    }
}

/// The last few thousand log lines of this process, numbered from its start: a test notes `position` when it
/// begins and, if it fails, shows `lines(since:)`. Tests run at once, so those include other tests' lines.
public enum CapturedLog {
    private struct State {
        var lines: [String] = []
        var dropped = 0
    }
    private static let state = Mutex(State())
    private static let capacity = 4000
    /// `UART_TUNNEL_TEST_LOG=1`: print every line as it comes, too.
    private static let echo = ProcessInfo.processInfo.environment["UART_TUNNEL_TEST_LOG"].map { !$0.isEmpty && $0 != "0" }
        ?? false

    public static func append(_ line: String) {
        if echo { ESPLogHandler.standardError(line.hasSuffix("\n") ? line : line + "\n") }
        let line = line.hasSuffix("\n") ? String(line.dropLast()) : line
        state.withLock { state in
            state.lines.append(line)
            if state.lines.count > capacity {
                state.lines.removeFirst(capacity / 4)
                state.dropped += capacity / 4
            }
        }
    }

    /// How many lines have been written so far.
    public static var position: Int { state.withLock { $0.dropped + $0.lines.count } }

    /// The lines written after `position`, at most the last `limit` of them.
    public static func lines(since position: Int, limit: Int = 100) -> [String] {
        state.withLock { state in
            let first = max(0, position - state.dropped)
            guard first < state.lines.count else { return [] }
            return Array(state.lines[first...].suffix(limit))
        }
    }
}
