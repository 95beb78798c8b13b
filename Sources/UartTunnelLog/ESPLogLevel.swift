import Logging

/// The five ESP_LOG levels a firmware developer knows (`CONFIG_LOG_DEFAULT_LEVEL`), mapped onto swift-log.
/// `verbose` is where per-frame `RX:`/`TX:` lines appear.
public enum ESPLogLevel: String, CaseIterable, Sendable {
    case error, warn, info, debug, verbose

    public var loggerLevel: Logger.Level {
        switch self {
        case .error: .error
        case .warn: .warning
        case .info: .info
        case .debug: .debug
        case .verbose: .trace
        }
    }
}
