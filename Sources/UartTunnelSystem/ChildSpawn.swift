#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux
import Dispatch
import Synchronization

/// Children started with `fork`/`execve` (CUartTunnelLinux_spawn): they stay in this process's process group, so
/// a terminal's Ctrl-C reaches them as well, and with `dieWithParent` they get SIGTERM from the kernel when this
/// process ends, even by SIGKILL (`PR_SET_PDEATHSIG`), so an interrupted or killed check leaves none behind.
///
/// Foundation's `Process` gives neither (each child gets a process group of its own). swift-subprocess 1.0.2
/// can keep the process group but has no pre-exec hook on Linux for `PR_SET_PDEATHSIG`, and its children live
/// inside an async closure, while the checks hold devices and bridges across plain threads.
public enum ChildSpawn {
    /// Starts `path` (absolute) with `arguments` (argv, `arguments[0]` included). Returns its pid.
    public static func start(path: String, arguments: [String], environment: [String: String]? = nil,
                             input: Descriptor, output: Descriptor, dieWithParent: Bool = true)
        throws(SystemError) -> pid_t {
        let environmentList = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        let deathSignal = dieWithParent ? SIGTERM : 0
        let result: (error: Int32, pid: pid_t) = SpawnThread.shared.perform {
            withCStrings(arguments) { argv in
                withOptionalCStrings(environmentList) { envp in
                    var pid: pid_t = 0
                    let error = CUartTunnelLinux_spawn(path, argv, envp, input.rawValue, output.rawValue, deathSignal,
                                                       &pid)
                    return (error, pid)
                }
            }
        }
        guard result.error == 0 else { throw SystemError(call: "exec \(path)", errno: result.error) }
        return result.pid
    }

    /// Waits up to `timeout` (nil: for ever) until `pid` has ended, without reaping it (so several threads may
    /// wait for one child); true once it has ended. One poll(2) on a pidfd, not a sleep loop.
    public static func waitEnded(_ pid: pid_t, timeout: Duration?) throws(SystemError) -> Bool {
        let pidfd = CUartTunnelLinux_pidfdOpen(pid)
        guard pidfd >= 0 else {
            if errno == ESRCH { return true }  // reaped already
            throw SystemError.current("pidfd_open(\(pid))")
        }
        let descriptor = Descriptor(rawValue: pidfd)
        defer { descriptor.close() }
        return try descriptor.waitReadable(timeout: timeout)
    }

    /// `waitpid(pid, WNOHANG)`: the status if it has ended (reaping it: ask once), nil if it is running. The
    /// status is the exit code, or 128 + the signal that ended it, as a shell reports it.
    public static func reap(_ pid: pid_t) throws(SystemError) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result == 0 { return nil }
            if errno != EINTR { throw SystemError.current("waitpid(\(pid))") }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// `PR_SET_PDEATHSIG` fires when the *thread* that forked ends, not the process: checks start children from
/// short-lived threads, so every fork happens on this one thread, which lives as long as the process.
private final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    private init() {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { argument in
            Unmanaged<SpawnThread>.fromOpaque(argument!).takeRetainedValue().serve()
        }, box)
        pthread_detach(thread)
    }

    private func serve() -> Never {
        while true {
            pending.wait()
            let job = jobs.withLock { $0.removeFirst() }
            job()
        }
    }

    func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        let job: @Sendable () -> Void = {
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        jobs.withLock { $0.append(job) }
        pending.signal()
        done.wait()
        return result.withLock { $0! }
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<R>(_ strings: [String]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R)
    -> R {
    guard let strings else { return body(nil) }
    return withCStrings(strings) { body($0) }
}
