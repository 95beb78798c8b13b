#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call (with enough context to act on, e.g. `connect(127.0.0.1:5556)`) and its errno.
///
/// `description` reads like `connect(127.0.0.1:5556): Connection refused (errno 111)`.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The error for `call`, taken from the calling thread's `errno`. Read it right after the failing call.
    static func current(_ call: String) -> SystemError {
        SystemError(call: call, errno: Glibc.errno)
    }

    public var description: String {
        "\(call): \(Self.message(for: errno)) (errno \(errno))"
    }

    /// `strerror(3)` text for an errno value.
    public static func message(for errno: Int32) -> String {
        guard let text = strerror(errno) else { return "Unknown error" }
        return String(cString: text)
    }

    /// The peer is gone: refused, reset, closed under us, or unreachable. A client should reconnect.
    public var isConnectionLost: Bool {
        [ECONNREFUSED, ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH,
         ESHUTDOWN].contains(errno)
    }

    /// The process lacks a privilege (typically CAP_NET_ADMIN for network configuration).
    public var isPermissionDenied: Bool {
        errno == EPERM || errno == EACCES
    }
}
