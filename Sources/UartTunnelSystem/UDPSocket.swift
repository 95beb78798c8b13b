#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux

/// IPv4 UDP sockets for throughput measurements (a sender and a counting receiver on the namespace's side of a
/// bridge).
public enum UDPSocket {
    /// A socket bound to `address`, with a receive buffer of about `receiveBuffer` bytes.
    public static func bind(to address: SocketAddress, receiveBuffer: Int32 = 8 << 20) throws(SystemError) -> Descriptor {
        let socket = try open()
        var size = receiveBuffer
        _ = try retryingInterrupts("setsockopt(SO_RCVBUF)") {
            setsockopt(socket.rawValue, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        _ = try address.withSockaddr("bind") { (pointer, length) throws(SystemError) in
            try retryingInterrupts("bind(\(address))") { Glibc.bind(socket.rawValue, pointer, length) }
        }
        return socket
    }

    /// A socket for `send(_:to:)`.
    public static func open() throws(SystemError) -> Descriptor {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return Descriptor(rawValue: try retryingInterrupts("socket(UDP)") { Glibc.socket(AF_INET, type, 0) })
    }

    /// One datagram; returns false when the kernel had no buffer for it (ENOBUFS/EAGAIN), which a flood expects.
    @discardableResult
    public static func send(_ socket: Descriptor, _ payload: [UInt8], to address: SocketAddress) throws(SystemError) -> Bool {
        try address.withSockaddr("sendto") { (pointer, length) throws(SystemError) -> Bool in
            while true {
                let sent = payload.withUnsafeBytes { sendto(socket.rawValue, $0.baseAddress, $0.count, 0, pointer, length) }
                if sent >= 0 { return true }
                switch errno {
                case EINTR: continue
                case ENOBUFS, EAGAIN: return false
                default: throw SystemError(call: "sendto(\(address))", errno: errno)
                }
            }
        }
    }
}
