#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import UartTunnelLink
import UartTunnelSystem

/// `esp_restart()` as a chip reset: the device process replaces itself with a fresh copy of its executable
/// (same arguments), so every static, task, netif and lwIP socket of the old firmware is gone and `app_main` runs
/// again, as on an ESP32 — while what lives outside the chip survives: the UART's TCP listener and its connected
/// peer (QEMU keeps its chardev across a reset), the NVS partition, the console and its clients.
///
/// Re-exec rather than reloading the firmware in this process: the host layer, liblwip (one tcpip_thread per
/// process) and the firmware hold state no code could reset completely, and a stale task or timer surviving a
/// "reset" would be a lie; exec discards all of it, as the reset does.
///
/// Each owner of something to keep registers it with ``keep(_:_:)``; the descriptors travel as numbers in the
/// environment variable `UART_TUNNEL_RESTART` (`restarts=1 fd-listener=5 fd-peer=7 peer-name=127.0.0.1:4242 …`).
public enum DeviceRestart {
    static let environmentName = "UART_TUNNEL_RESTART"

    /// What a replaced process handed over: named values, and descriptor lists (`fd-console=9,11`).
    public struct Handoff: Sendable, Equatable {
        public var values: [String: String]

        public init(values: [String: String]) { self.values = values }

        public var restarts: Int { values["restarts"].flatMap { Int($0) } ?? 0 }

        /// The descriptors under `fd-<name>` that are still open.
        public func descriptors(_ name: String) -> [Descriptor] {
            (values["fd-" + name] ?? "").split(separator: ",").compactMap { Int32($0) }.map(Descriptor.init(rawValue:))
                .filter(ProcessImage.isOpen)
        }

        public var encoded: String {
            values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }

        public init?(encoded: String) {
            var values: [String: String] = [:]
            for word in encoded.split(separator: " ") {
                guard let equals = word.firstIndex(of: "=") else { return nil }
                values[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            self.values = values
        }
    }

    /// What the process this one replaced handed over; nil when the device was started afresh. Read once and
    /// removed from the environment, so the compiler and other children never see it.
    public static let inherited: Handoff? = {
        guard let text = getenv(environmentName).map({ String(cString: $0) }) else { return nil }
        unsetenv(environmentName)
        guard let handoff = Handoff(encoded: text) else { return nil }
        CaptureContinuation.continueExistingFiles()   // before the link's captures open
        // back to close-on-exec: only the next restart decides what to keep
        for key in handoff.values.keys where key.hasPrefix("fd-") {
            handoff.descriptors(String(key.dropFirst(3))).forEach { try? ProcessImage.setCloseOnExec($0) }
        }
        return handoff
    }()

    /// How many times esp_restart restarted this device (what /api/status reports).
    public static var restarts: Int { inherited?.restarts ?? 0 }

    /// At most this many restarts (nil: no limit); the next esp_restart ends the device (exit status 3).
    public static let maxRestarts = Mutex<Int?>(nil)

    /// What an owner keeps across a restart: named values, and the descriptors they mention.
    public typealias Keeper = @Sendable () -> (values: [String: String], descriptors: [Descriptor])

    private static let keepers = Mutex<[String: Keeper]>([:])

    /// Registers (or replaces) what `owner` keeps across a restart.
    public static func keep(_ owner: String, _ keeper: @escaping Keeper) {
        keepers.withLock { $0[owner] = keeper }
    }

    private static let keptPaths = Mutex<[String: String]>([:])

    /// Hands the temporary `path` to the next process image under `name` (its directory is kept on disk across
    /// the exec instead of being removed with the other temporary paths). The new image reads it back with
    /// ``inheritedPath(_:)`` and owns it from then on.
    public static func keepPath(_ path: String, as name: String) {
        keptPaths.withLock { $0[name] = path }
    }

    /// A path the replaced process handed over under `name`, if it still exists; registered as this process's
    /// temporary path (the parent directory: what `TemporaryPaths` removes at exit).
    public static func inheritedPath(_ name: String) -> String? {
        guard let path = inherited?.values["path-" + name], access(path, F_OK) == 0 else { return nil }
        TemporaryPaths.register(parentDirectory(path))
        return path
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The UART link: the inherited listener and peer after a restart, else a new listener on `address`. `name`
    /// tells a device's links apart ("link" is UART1's; the soft-AP's link is another).
    public static func link(listenOn address: SocketAddress, logger: Logger,
                            name: String = "link") throws(SystemError) -> TCPServerLink {
        let prefix = name == "link" ? "" : name + "-"
        let link: TCPServerLink
        if let inherited, let listener = inherited.descriptors(prefix + "listener").first {
            let peer = inherited.descriptors(prefix + "peer").first.map {
                (peer: $0, name: (inherited.values[prefix + "peer-name"] ?? "the peer") + " (kept across esp_restart)")
            }
            link = try TCPServerLink(source: TCPListenSource(adopting: listener, peer: peer), logger: logger)
        } else {
            link = try TCPServerLink(listenOn: address, logger: logger)
        }
        keep(name) { [weak link] in   // weak: a stopped device's link may go (tests make many)
            guard let link, let source = link.source as? TCPListenSource else { return ([:], []) }
            var values = ["fd-\(prefix)listener": "\(source.listener.rawValue)"]
            var descriptors = [source.listener]
            if let peer = link.currentPeer {
                values["fd-\(prefix)peer"] = "\(peer.peer.rawValue)"
                values[prefix + "peer-name"] = peer.name.split(separator: " ").first.map(String.init) ?? peer.name
                descriptors.append(peer.peer)
            }
            return (values, descriptors)
        }
        return link
    }

    /// Replaces this process with a fresh device that inherits what the keepers keep. Returns only when it may not
    /// (the ``maxRestarts`` limit) or cannot (the error is logged); the caller then ends the device.
    public static func restart(logger: Logger) {
        let next = restarts + 1
        if let limit = maxRestarts.withLock({ $0 }), next > limit {
            logger.warning("esp_restart: --max-restarts \(limit) used up")
            return
        }
        var values = ["restarts": "\(next)"]
        do {
            for keeper in keepers.withLock({ Array($0.values) }) {
                let kept = keeper()
                values.merge(kept.values) { $1 }
                for descriptor in kept.descriptors { try ProcessImage.keepAcrossExec(descriptor) }
            }
            let paths = keptPaths.withLock { $0 }
            for (name, path) in paths { values["path-" + name] = path }
            logger.info("esp_restart: resetting the chip (restart \(next)): a fresh device process runs app_main again")
            // exec skips exit handlers: remove what the next image does not take over
            TemporaryPaths.removeAll(except: Set(paths.values.map(parentDirectory)))
            try ProcessImage.replace(arguments: CommandLine.arguments,
                                     environment: [environmentName: Handoff(values: values).encoded])
        } catch {
            logger.error("esp_restart: cannot restart the device: \(error)")
        }
    }
}
