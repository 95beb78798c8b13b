import Foundation

/// Files of this repository that the checks run (the seed's Python bridge), found from where this source file
/// was compiled; `UART_TUNNEL_REPO` overrides it for a binary moved elsewhere.
public enum RepositoryPaths {
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["UART_TUNNEL_REPO"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    public static var pythonBridge: String { root.appendingPathComponent("firmware/tools/serial_tun_bridge.py").path }

    /// The argv for the seed's Python bridge, as `check bridge` and the benchmark run it.
    public static var pythonBridgeCommand: [String] {
        ["python3", pythonBridge, "--port", "{port}", "--ifname", "{ifname}"]
    }
}
