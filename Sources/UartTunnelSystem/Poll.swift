#if canImport(Glibc)
import Glibc
#endif

extension Descriptor {
    /// Waits until a `read` would not block (data, end of file or an error is pending). `nil` waits forever.
    /// Returns false when the timeout passed first.
    public func waitReadable(timeout: Duration?) throws(SystemError) -> Bool {
        try !Poll.readable([self], timeout: timeout).isEmpty
    }

    /// Waits until a `write` would not block, or the connection failed. Used for non-blocking connect.
    func waitWritable(timeout: Duration?) throws(SystemError) -> Bool {
        try Poll.wait([self], events: Int16(POLLOUT), timeout: timeout) != [false]
    }
}

/// `poll(2)` over several descriptors, so one thread can serve a socket, a TUN device and a wake-up pipe.
public enum Poll {
    /// The descriptors among `descriptors` on which a `read` would not block (in the given order); empty on
    /// timeout. A hang-up or error counts as readable so the next `read` reports it.
    public static func readable(_ descriptors: [Descriptor], timeout: Duration?) throws(SystemError) -> [Descriptor] {
        let ready = try wait(descriptors, events: Int16(POLLIN), timeout: timeout)
        return zip(descriptors, ready).filter { $0.1 }.map { $0.0 }
    }

    static func wait(_ descriptors: [Descriptor], events: Int16, timeout: Duration?) throws(SystemError) -> [Bool] {
        var fds = descriptors.map { pollfd(fd: $0.rawValue, events: events, revents: 0) }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            let milliseconds = deadline.map { Self.milliseconds(until: $0) } ?? -1
            let count = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
            if count >= 0 {
                let wanted = events | Int16(POLLHUP | POLLERR | POLLNVAL)
                return fds.map { $0.revents & wanted != 0 }
            }
            // EINTR: wait again for what is left of the timeout.
            if Glibc.errno != EINTR { throw SystemError.current("poll") }
        }
    }

    /// Rounds up, so a deadline 0.3 ms away waits 1 ms rather than spinning on a zero timeout.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
