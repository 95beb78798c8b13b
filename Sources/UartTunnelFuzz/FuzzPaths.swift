import Foundation

/// Where the fuzzing sources are (found from this file's place in the checkout, like the firmware host's paths)
/// and where builds are cached.
public enum FuzzPaths {
    /// The repository: `UART_TUNNEL_REPO` (as for RepositoryPaths in UartTunnelChecks), else two levels above
    /// Sources/UartTunnelFuzz.
    public static var repositoryRoot: String {
        ProcessInfo.processInfo.environment["UART_TUNNEL_REPO"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
    }

    /// fuzz/build.sh, the one recipe for the fuzz binaries (OSS-Fuzz style).
    public static var buildScript: String { repositoryRoot + "/fuzz/build.sh" }

    /// `UART_TUNNEL_CACHE`/fuzz, else `$XDG_CACHE_HOME`/uart-tunnel/fuzz, else ~/.cache/uart-tunnel/fuzz.
    public static var cacheDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let root = environment["UART_TUNNEL_CACHE"], !root.isEmpty { return root + "/fuzz" }
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.cache")
        return base + "/uart-tunnel/fuzz"
    }

    /// Every file the host side of a fuzz binary is made of: the build script, the harness, the ESP-IDF host layer
    /// with its headers, the lwIP shims and the wire rules.
    static var hostInputs: [String] {
        let root = repositoryRoot
        return [root + "/fuzz/build.sh"]
            + files(under: root + "/fuzz/harness")
            + files(under: root + "/CShims/CEspIdfHost")
            + files(under: root + "/CShims/CLwIPShims")
            + files(under: root + "/CShims/CUartTunnelWire")
    }

    /// Regular files under `root`, sorted (dot files left out).
    static func files(under root: String) -> [String] {
        var found: [String] = []
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            let path = root + "/" + relative
            var directory: ObjCBool = false
            if !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
               FileManager.default.fileExists(atPath: path, isDirectory: &directory), !directory.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }
}
