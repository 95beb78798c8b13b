#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux

/// Unix stream sockets for the device link (`--listen unix:PATH`, `--connect unix:PATH`), like QEMU's
/// `-serial unix:PATH,server`. The socket file's permissions are the access control: it is created 0600, and
/// Linux lets only users with write permission on it connect (and root). All descriptors are close-on-exec.
public enum UnixSocket {
    /// The credentials of a connected unix socket's other end (SO_PEERCRED: fixed when it connected or listened).
    public struct PeerCredentials: Sendable, Equatable {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
    }

    /// The longest path `sockaddr_un` holds (107 bytes and the terminating NUL).
    public static let maxPathLength = MemoryLayout<sockaddr_un>.size - MemoryLayout<sa_family_t>.size - 1

    /// Listens on `path`, mode 0600. A socket file nobody listens on any more (a device that was killed) is
    /// replaced; a live one is `EADDRINUSE`; any other file at `path` is left alone and is `EEXIST`.
    public static func listen(on path: String, backlog: Int32 = 1) throws(SystemError) -> Descriptor {
        try removeIfStale(path)
        let socket = try make("socket(AF_UNIX)")
        do throws(SystemError) {
            // bind creates the file with the umask applied: 0600 from the first instant, then chmod for certainty
            let previous = umask(0o177)
            defer { umask(previous) }
            _ = try withAddress(path) { (address, length) throws(SystemError) in
                try retryingInterrupts("bind(unix:\(path))") { Glibc.bind(socket.rawValue, address, length) }
            }
            _ = try retryingInterrupts("chmod(\(path))") { chmod(path, 0o600) }
            _ = try retryingInterrupts("listen(unix:\(path))") { Glibc.listen(socket.rawValue, backlog) }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Waits for nothing: call after the listener polled readable. Returns the connection and its credentials.
    public static func accept(_ listener: Descriptor) throws(SystemError) -> (Descriptor, PeerCredentials?) {
        let raw = try retryingInterrupts("accept(\(listener))") { CUartTunnelLinux_acceptCloexec(listener.rawValue, nil, nil) }
        let socket = Descriptor(rawValue: raw)
        return (socket, try? peerCredentials(of: socket))
    }

    public static func connect(to path: String) throws(SystemError) -> Descriptor {
        let socket = try make("socket(AF_UNIX)")
        do throws(SystemError) {
            _ = try withAddress(path) { (address, length) throws(SystemError) in
                try retryingInterrupts("connect(unix:\(path))") { Glibc.connect(socket.rawValue, address, length) }
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    public static func peerCredentials(of socket: Descriptor) throws(SystemError) -> PeerCredentials {
        var credentials = PeerCredentials(pid: 0, uid: 0, gid: 0)
        try checkingReturnedErrno("getsockopt(\(socket), SO_PEERCRED)", CUartTunnelLinux_peerCredentials(
            socket.rawValue, &credentials.pid, &credentials.uid, &credentials.gid))
        return credentials
    }

    /// Removes `path` if it is still the socket file this process bound (same inode), e.g. at exit.
    public static func remove(_ path: String, boundAs identity: (device: UInt64, inode: UInt64)?) {
        guard let identity, let now = fileIdentity(path), now == identity, isSocket(path) else { return }
        unlink(path)
    }

    /// The device and inode of the file at `path` (to recognise our own socket file later).
    public static func fileIdentity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    private static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// A socket file nobody accepts on (connect says ECONNREFUSED) is stale and goes; anything else stays.
    private static func removeIfStale(_ path: String) throws(SystemError) {
        guard fileIdentity(path) != nil else { return }
        guard isSocket(path) else { throw SystemError(call: "bind(unix:\(path)): not a socket file", errno: EEXIST) }
        do throws(SystemError) {
            let probe = try connect(to: path)
            probe.close()
        } catch {
            guard error.errno == ECONNREFUSED else { throw error }
            unlink(path)
            return
        }
        throw SystemError(call: "bind(unix:\(path)): another process listens there", errno: EADDRINUSE)
    }

    private static func make(_ call: String) throws(SystemError) -> Descriptor {
        Descriptor(rawValue: try retryingInterrupts(call) {
            Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        })
    }

    private static func withAddress<Result>(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Result
    ) throws(SystemError) -> Result {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maxPathLength, !bytes.contains(0) else {
            throw SystemError(call: "unix:\(path): a socket path is 1...\(maxPathLength) bytes", errno: ENAMETOOLONG)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        return try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sockaddr) throws(SystemError) in
                try body(sockaddr, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
