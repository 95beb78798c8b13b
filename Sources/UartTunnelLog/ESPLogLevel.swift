import Logging

/// The ESP_LOG levels a firmware developer knows (`CONFIG_LOG_DEFAULT_LEVEL`, esp_log_level_t in ESP-IDF v5.4's
/// components/log/include/esp_log_level.h: ESP_LOG_NONE … ESP_LOG_VERBOSE), mapped onto swift-log.
/// `verbose` is where per-frame `RX:`/`TX:` lines appear; `none` prints nothing.
public enum ESPLogLevel: String, CaseIterable, Sendable {
    case none, error, warn, info, debug, verbose

    /// The level for a name (`warn`) or the letter ESP-IDF prints at the start of each line (`W`; `N` is none).
    public init?(name: String) {
        if let level = ESPLogLevel(rawValue: name.lowercased()) {
            self = level
            return
        }
        switch name {
        case "N": self = .none
        case "E": self = .error
        case "W": self = .warn
        case "I": self = .info
        case "D": self = .debug
        case "V": self = .verbose
        default: return nil
        }
    }

    public var loggerLevel: Logger.Level {
        switch self {
        case .none: .critical
        case .error: .error
        case .warn: .warning
        case .info: .info
        case .debug: .debug
        case .verbose: .trace
        }
    }
}
