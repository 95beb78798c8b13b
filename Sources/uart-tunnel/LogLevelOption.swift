import ArgumentParser
import UartTunnelLog

extension ESPLogLevel: ExpressibleByArgument {}

/// `--log-level`, shared by every long-running subcommand.
struct LogLevelOption: ParsableArguments {
    @Option(name: .long, help: "ESP_LOG-style level: error, warn, info, debug or verbose (verbose logs every frame as RX:/TX: lines).")
    var logLevel: ESPLogLevel = .info

    func bootstrap() {
        UartTunnelLogging.bootstrap(level: logLevel)
    }
}
