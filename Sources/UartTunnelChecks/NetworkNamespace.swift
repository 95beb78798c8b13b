import Foundation
import Synchronization

/// A private network namespace for the real-kernel checks. All 192.168.100.x traffic of a check lives in
/// here and vanishes with it; outside, the checks touch loopback only.
public final class NetworkNamespace: @unchecked Sendable {
    public let name: String

    /// Why the namespace checks cannot run here, or nil when they can (root and `ip` present).
    public static var unavailableReason: String? { unavailableReason(euid: geteuid()) }

    static func unavailableReason(euid: uid_t) -> String? {
        if euid != 0 {
            return "needs root (CAP_SYS_ADMIN/CAP_NET_ADMIN) to create a network namespace and a TAP interface; "
                + "run as root or with sudo"
        }
        if (try? ChildProcess.resolve("ip")) == nil { return "the `ip` tool (iproute2) is not installed" }
        if !FileManager.default.fileExists(atPath: "/dev/net/tun") { return "/dev/net/tun is missing" }
        return nil
    }

    private static let counter = Mutex(0)
    /// Namespaces this process made and has not deleted yet, for `deleteAll()`.
    private static let live = Mutex<Set<String>>([])
    /// Creations under way, and whether the teardown has closed the door on new ones. An `ip netns add` the
    /// teardown's `terminateAll` did not stop (started after its snapshot of the children) still makes its
    /// namespace: `deleteAll()` must wait for every creation to end before it deletes, or that one stays behind.
    private static let creations = Mutex((closed: false, inFlight: 0))

    /// Creates `ut-<tag>-<pid>-<n>` with its loopback up; unique within the process, so suites may run at once.
    public init(tag: String) throws {
        let serial = Self.counter.withLock { value in
            value += 1
            return value
        }
        name = "ut-\(tag)-\(getpid())-\(serial)"
        // Registered (for `deleteAll()`) before `ip netns add` can make it; refused once the teardown began.
        let admitted = Self.creations.withLock { state in
            guard !state.closed else { return false }
            state.inFlight += 1
            Self.live.withLock { _ = $0.insert(name) }
            return true
        }
        guard admitted else { throw CheckFailure("\(name) not created: the run is being interrupted") }
        defer { Self.creations.withLock { $0.inFlight -= 1 } }
        do {
            _ = try? ChildProcess.run(["ip", "netns", "del", name])
            let created = try ChildProcess.run(["ip", "netns", "add", name])
            // An `ip netns add` stopped by the teardown may have made the namespace before it ended.
            guard created.status == 0 else { throw CheckFailure("ip netns add \(name) failed: \(created.output)") }
            let lo = try ChildProcess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])
            guard lo.status == 0 else { throw CheckFailure("bringing up lo in \(name) failed: \(lo.output)") }
        } catch {
            Self.delete(name)
            throw error
        }
    }

    deinit {
        Self.delete(name)
    }

    /// `ip netns del`: its TAP/TUN interfaces go with it (a bridge's interface lives in there, never outside).
    /// Once per name, whoever comes first (a suite's `deinit` or the teardown); the teardown so waits for a
    /// deletion under way, and its `ip netns del` is done (and its log gone) before the process exits.
    private static func delete(_ name: String) {
        deleting.withLock { _ in
            guard live.withLock({ $0.remove(name) != nil }) else { return }
            _ = try? ChildProcess.run(["ip", "netns", "del", name], duringTeardown: true)
        }
    }

    private static let deleting = Mutex(())

    /// Deletes every namespace this process made that is still there; for the SIGINT/SIGTERM teardown, after
    /// the children inside them were stopped (no `deinit` runs once the process exits).
    public static func deleteAll() {
        // No creation starts from now on, and those under way end first (their children were stopped or are
        // refused, so each ends within its three `ip` runs of at most 30 s): after this, no `ip netns add` of
        // ours can still run.
        creations.withLock { $0.closed = true }
        let settled = ContinuousClock.now + .seconds(95)
        while creations.withLock({ $0.inFlight > 0 }) && ContinuousClock.now < settled { usleep(1_000) }
        deleting.withLock { _ in }  // a deletion under way ends first
        // Also any `ut-…-<pid>-…` in /run/netns (where `ip netns add` makes them): one whose `ip netns add` was
        // stopped half-way was never confirmed.
        let mine = ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [])
            .filter { $0.hasPrefix("ut-") && $0.contains("-\(getpid())-") }
        live.withLock { $0.formUnion(mine) }
        for name in live.withLock({ $0 }) { delete(name) }
    }

    /// The argv that runs `arguments` inside this namespace.
    public func command(_ arguments: [String]) -> [String] {
        ["ip", "netns", "exec", name] + arguments
    }

    public func start(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(command(arguments))
    }

    public func run(_ arguments: [String], timeout: Duration = .seconds(30)) throws -> (status: Int32, output: String) {
        try ChildProcess.run(command(arguments), timeout: timeout)
    }
}
