import Foundation
import Logging

/// Prints log lines the way ESP-IDF does, `W (1234) uart_tunnel: message`, so logs from the toolkit and from a
/// QEMU run of the firmware read alike (and `grep "RX:"` works on both). Time is milliseconds since start.
public struct ESPLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let tag: String

    private static let start = ContinuousClock.now
    private static let lock = NSLock()

    public init(label: String, level: Logger.Level) {
        self.tag = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let elapsed = ContinuousClock.now - Self.start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let line = "\(Self.letter(event.level)) (\(ms)) \(tag): \(event.message)\n"
        Self.lock.lock()
        defer { Self.lock.unlock() }
        FileHandle.standardError.write(Data(line.utf8))
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
        lock.lock()
        defer { lock.unlock() }
        Self.level = level
        guard !bootstrapped else { return }
        bootstrapped = true
        LoggingSystem.bootstrap { label in
            ESPLogHandler(label: label, level: UartTunnelLogging.level.loggerLevel)
        }
    }
}
