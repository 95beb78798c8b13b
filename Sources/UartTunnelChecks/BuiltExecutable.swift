import Foundation

/// Finds the `uart-tunnel` executable a test should run as a child: next to the running test bundle (SwiftPM
/// builds both into the same folder), else in `.build/debug`. `UART_TUNNEL_BIN` overrides both.
public enum BuiltExecutable {
    public static var uartTunnel: String {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["UART_TUNNEL_BIN"], !override.isEmpty { return override }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("uart-tunnel").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return FileManager.default.currentDirectoryPath + "/.build/debug/uart-tunnel"
    }
}
