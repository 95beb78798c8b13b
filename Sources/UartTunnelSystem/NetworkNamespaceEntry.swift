import CUartTunnelLinux
import Foundation

/// Runs a closure on a thread that has joined a named network namespace (`ip netns add NAME`), so that the
/// sockets it creates belong there. The rest of the process stays where it was; those sockets keep their
/// namespace whichever thread uses them afterwards.
public enum NetworkNamespaceEntry {
    public static func run<T: Sendable>(inNamespace name: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let path = "/var/run/netns/\(name)"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open(\(path))", errno: errno) }
        defer { close(fd) }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let code = CUartTunnelLinux_enterNetworkNamespace(fd)
            if code != 0 {
                box.result = .failure(SystemError(call: "setns(\(name))", errno: code))
            } else {
                box.result = Result { try body() }
            }
            done.signal()
        }
        thread.start()
        done.wait()
        return try box.result!.get()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
