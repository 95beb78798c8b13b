#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux

extension Descriptor {
    /// A close-on-exec pipe. A loop that polls its I/O descriptors plus the read end can be woken from another
    /// thread (say, a signal handler thread) by writing one byte to the write end.
    public static func pipe() throws(SystemError) -> (read: Descriptor, write: Descriptor) {
        var fds: [Int32] = [-1, -1]
        try checkingReturnedErrno("pipe2", fds.withUnsafeMutableBufferPointer { CUartTunnelLinux_pipe($0.baseAddress) })
        return (Descriptor(rawValue: fds[0]), Descriptor(rawValue: fds[1]))
    }
}
