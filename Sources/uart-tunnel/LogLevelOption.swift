import ArgumentParser
import UartTunnelLog

/// ESP-IDF's level names and the letters its log lines start with (`E W I D V`), plus `none`.
extension ESPLogLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// The `--log-level` help, one text for every subcommand that has the option.
let logLevelHelp = "ESP_LOG-style level: none, error, warn, info, debug or verbose, or ESP-IDF's letters N E W I D V "
    + "(verbose logs every frame as RX:/TX: lines)."

/// `--log-level`, shared by every long-running subcommand.
struct LogLevelOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(logLevelHelp, valueName: "level"))
    var logLevel: ESPLogLevel = .info

    func bootstrap() {
        UartTunnelLogging.bootstrap(level: logLevel)
    }
}
