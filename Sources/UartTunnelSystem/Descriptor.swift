#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor, swift-system style: a plain value that does not own the descriptor. Whoever opened it
/// calls `close()` exactly once; copies may be handed to other threads (e.g. to `shutdown()` a blocked reader).
public struct Descriptor: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public var description: String { "fd \(rawValue)" }

    /// Reads up to `buffer.count` bytes; blocks until some are available. Returns 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try retryingInterrupts("read(\(self))") { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads into the start of `buffer` (up to its count); returns the byte count, 0 at end of file.
    public func read(into buffer: inout [UInt8]) throws(SystemError) -> Int {
        // withUnsafeMutableBytes is untyped `rethrows`; carry the typed error out through a Result.
        let result = buffer.withUnsafeMutableBytes { raw in Result { () throws(SystemError) in try read(into: raw) } }
        return try result.get()
    }

    /// One `write(2)`; may write fewer bytes than given (sockets under pressure). See `writeAll`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        try retryingInterrupts("write(\(self))") { Glibc.write(rawValue, bytes.baseAddress, bytes.count) }
    }

    /// Writes every byte, looping over partial writes. A closed peer gives EPIPE as an error (not a signal) once
    /// `Signals.ignorePipe()` has run. A record should reach a TCP socket in one call so that it leaves as one
    /// segment with TCP_NODELAY; this does that whenever the socket buffer has room.
    public func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            // withUnsafeBytes is untyped `rethrows`; carry the typed error out through a Result.
            let written = bytes.withUnsafeBytes { raw in
                Result { () throws(SystemError) in try write(UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            }
            offset += try written.get()
        }
    }

    /// Reads like `read(into:)` on a non-blocking descriptor, but returns nil instead of failing when nothing is
    /// waiting (EAGAIN): lets a reader drain everything that is ready after one poll.
    public func readIfReady(into buffer: inout [UInt8]) throws(SystemError) -> Int? {
        do {
            return try read(into: &buffer)
        } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            return nil
        }
    }

    /// Sets or clears O_NONBLOCK.
    public func setNonBlocking(_ on: Bool) throws(SystemError) {
        let flags = try retryingInterrupts("fcntl(\(self), F_GETFL)") { fcntl(rawValue, F_GETFL) }
        let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        _ = try retryingInterrupts("fcntl(\(self), F_SETFL)") { fcntl(rawValue, F_SETFL, wanted) }
    }

    /// Closes the descriptor, ignoring errors (Linux releases it even when close reports one, so a retry could
    /// close an unrelated descriptor opened meanwhile).
    public func close() {
        _ = Glibc.close(rawValue)
    }

    /// `shutdown(SHUT_RDWR)`, ignoring errors: wakes a thread blocked in `read` (it sees end of file) or `write`
    /// on this socket, from another thread, without the fd-reuse race of closing it under that thread.
    public func shutdown() {
        _ = Glibc.shutdown(rawValue, Int32(SHUT_RDWR))
    }
}
