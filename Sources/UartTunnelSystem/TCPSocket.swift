#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux

/// IPv4 TCP sockets, all close-on-exec (a child such as `ip` must not inherit the tunnel). Connected sockets get
/// TCP_NODELAY: a tunnel record is latency-bound, and Nagle plus delayed ACKs would hold a small one ~40 ms.
public enum TCPSocket {
    /// A listening socket with SO_REUSEADDR (a restarted device can rebind at once). Port 0 picks a free port;
    /// learn it with `localAddress(of:)`.
    public static func listen(on address: SocketAddress, backlog: Int32 = 1) throws(SystemError) -> Descriptor {
        let socket = try make("socket")
        do throws(SystemError) {
            try setOption(socket, SOL_SOCKET, SO_REUSEADDR, name: "SO_REUSEADDR")
            _ = try address.withSockaddr("bind") { (pointer, length) throws(SystemError) in
                try retryingInterrupts("bind(\(address))") { Glibc.bind(socket.rawValue, pointer, length) }
            }
            _ = try retryingInterrupts("listen(\(address))") { Glibc.listen(socket.rawValue, backlog) }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Waits for a peer; returns its socket (TCP_NODELAY, close-on-exec) and address.
    public static func accept(_ listener: Descriptor) throws(SystemError) -> (Descriptor, SocketAddress) {
        var sin = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let raw = try retryingInterrupts("accept(\(listener))") {
            withUnsafeMutablePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    CUartTunnelLinux_acceptCloexec(listener.rawValue, $0, &length)
                }
            }
        }
        let socket = Descriptor(rawValue: raw)
        let peer = SocketAddress(sin)
        do throws(SystemError) {
            try setOption(socket, Int32(IPPROTO_TCP), TCP_NODELAY, name: "TCP_NODELAY")
        } catch {
            socket.close()
            throw error
        }
        return (socket, peer)
    }

    /// Connects with TCP_NODELAY. `timeout` nil blocks as long as the kernel does; otherwise the attempt fails
    /// with ETIMEDOUT after `timeout` (useful for a remote host that drops SYNs).
    public static func connect(to address: SocketAddress, timeout: Duration? = nil) throws(SystemError) -> Descriptor {
        try connect(to: address, timeout: timeout, receiveBufferBytes: nil)
    }

    /// `connect(to:timeout:)` with SO_RCVBUF set before the handshake (so it also bounds the window the socket
    /// advertises): a small one plays a slow or stalled reader whose sender soon sees a full send buffer. The
    /// kernel doubles the value and applies its minimum.
    public static func connect(to address: SocketAddress, timeout: Duration? = nil,
                               receiveBufferBytes: Int32?) throws(SystemError) -> Descriptor {
        let call = "connect(\(address))"
        let socket = try make("socket", nonBlocking: timeout != nil)
        do throws(SystemError) {
            if let receiveBufferBytes {
                try setOption(socket, SOL_SOCKET, SO_RCVBUF, value: receiveBufferBytes, name: "SO_RCVBUF")
            }
            try address.withSockaddr("connect") { (pointer, length) throws(SystemError) in
                if Glibc.connect(socket.rawValue, pointer, length) == 0 { return }
                let code = Glibc.errno
                // EINTR and EINPROGRESS both mean the handshake goes on in the background: wait for it.
                guard code == EINPROGRESS || code == EINTR else { throw SystemError(call: call, errno: code) }
                guard try socket.waitWritable(timeout: timeout) else { throw SystemError(call: call, errno: ETIMEDOUT) }
                let pending = try socketError(socket)
                if pending != 0 { throw SystemError(call: call, errno: pending) }
            }
            if timeout != nil { try setNonBlocking(socket, false) }
            try setOption(socket, Int32(IPPROTO_TCP), TCP_NODELAY, name: "TCP_NODELAY")
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Holds small writes back (TCP_CORK, which outranks TCP_NODELAY) until `shutdown` sends them with the FIN
    /// in one segment: a receiver then sees the bytes and the end of the stream together, whatever its timers.
    public static func cork(_ socket: Descriptor) throws(SystemError) {
        try setOption(socket, Int32(IPPROTO_TCP), TCP_CORK, name: "TCP_CORK")
    }

    /// The address a socket is bound to; after `listen(on: ...:0)` this tells the port the kernel chose.
    public static func localAddress(of socket: Descriptor) throws(SystemError) -> SocketAddress {
        var sin = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = try retryingInterrupts("getsockname(\(socket))") {
            withUnsafeMutablePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.rawValue, $0, &length) }
            }
        }
        return SocketAddress(sin)
    }

    private static func make(_ call: String, nonBlocking: Bool = false) throws(SystemError) -> Descriptor {
        var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        return Descriptor(rawValue: try retryingInterrupts(call) { Glibc.socket(AF_INET, type, 0) })
    }

    private static func setOption(_ socket: Descriptor, _ level: Int32, _ option: Int32, value: Int32 = 1,
                                  name: String) throws(SystemError) {
        var value = value
        _ = try retryingInterrupts("setsockopt(\(name))") {
            setsockopt(socket.rawValue, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    private static func socketError(_ socket: Descriptor) throws(SystemError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try retryingInterrupts("getsockopt(SO_ERROR)") {
            getsockopt(socket.rawValue, SOL_SOCKET, SO_ERROR, &value, &length)
        }
        return value
    }

    private static func setNonBlocking(_ socket: Descriptor, _ on: Bool) throws(SystemError) {
        let flags = try retryingInterrupts("fcntl(F_GETFL)") { fcntl(socket.rawValue, F_GETFL) }
        let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        _ = try retryingInterrupts("fcntl(F_SETFL)") { fcntl(socket.rawValue, F_SETFL, wanted) }
    }
}
