#if canImport(Glibc)
import Glibc
#endif

extension TCPSocket {
    /// Fixes SO_SNDBUF (the kernel doubles it and stops autotuning it): bounds what a peer that does not read
    /// can hold in this process's kernel memory before non-blocking sends start failing.
    public static func limitSendBuffer(_ socket: Descriptor, bytes: Int32) throws(SystemError) {
        var value = bytes
        _ = try retryingInterrupts("setsockopt(\(socket), SO_SNDBUF)") {
            setsockopt(socket.rawValue, SOL_SOCKET, SO_SNDBUF, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
