#if canImport(Glibc)
import Glibc
#endif

extension Descriptor {
    /// One `send(2)` on a socket with `MSG_DONTWAIT | MSG_NOSIGNAL`: never blocks, whatever the descriptor's
    /// O_NONBLOCK flag (so a reader on another thread keeps its blocking reads). Returns the bytes the kernel took
    /// (possibly fewer than given), or nil when its send buffer is full (EAGAIN). A vanished peer is an error
    /// (EPIPE, ECONNRESET), never SIGPIPE. EINTR is retried. On a non-blocking pty master it is one write(2).
    public func sendIfReady(_ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        guard !bytes.isEmpty else { return 0 }
        do {
            return try retryingInterrupts("send(\(self))") {
                Glibc.send(rawValue, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
            }
        } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            return nil
        } catch where error.errno == ENOTSOCK {
            // A pty master (`device --pty`): send(2) needs a socket; its descriptor is O_NONBLOCK, so write(2)
            // returns at once just the same.
            do {
                return try retryingInterrupts("write(\(self))") { Glibc.write(rawValue, bytes.baseAddress, bytes.count) }
            } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                return nil
            }
        }
    }

    /// `sendIfReady` for a slice of an array (`bytes[offset...]`).
    public func sendIfReady(_ bytes: [UInt8], from offset: Int = 0) throws(SystemError) -> Int? {
        // withUnsafeBytes is untyped `rethrows`; carry the typed error out through a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(SystemError) in try sendIfReady(UnsafeRawBufferPointer(rebasing: raw[offset...])) }
        }
        return try result.get()
    }

    /// Writes one byte if there is room, ignoring a full pipe (EAGAIN) and any other error: the wake-up half of
    /// a self-pipe, whose write end must be non-blocking (`setNonBlocking(true)`) so a waker never waits.
    public func poke() {
        var byte: UInt8 = 1
        _ = Glibc.write(rawValue, &byte, 1)
    }

    /// Reads and discards whatever is waiting on a non-blocking descriptor (the read end of a self-pipe).
    public func drainIfReady() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while let count = try? readIfReady(into: &buffer), count > 0 {}
    }
}
