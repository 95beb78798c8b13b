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

    /// Waits until some descriptor in `reading` can be read (data, end of file or an error) or some descriptor in
    /// `writing` can be written (room in its buffer, or the connection failed); empty lists on timeout. One thread
    /// can so wait for a wake-up pipe and a socket's send buffer at once. `nil` waits forever.
    public static func ready(reading: [Descriptor], writing: [Descriptor], timeout: Duration?)
        throws(SystemError) -> (readable: [Descriptor], writable: [Descriptor]) {
        let failed = Int16(POLLHUP | POLLERR | POLLNVAL)
        let requests = reading.map { ($0, Int16(POLLIN)) } + writing.map { ($0, Int16(POLLOUT)) }
        let ready = try wait(requests, timeout: timeout)
        var readable: [Descriptor] = []
        var writable: [Descriptor] = []
        for (index, (descriptor, events)) in requests.enumerated() where ready[index] & (events | failed) != 0 {
            if index < reading.count { readable.append(descriptor) } else { writable.append(descriptor) }
        }
        return (readable, writable)
    }

    static func wait(_ descriptors: [Descriptor], events: Int16, timeout: Duration?) throws(SystemError) -> [Bool] {
        let wanted = events | Int16(POLLHUP | POLLERR | POLLNVAL)
        return try wait(descriptors.map { ($0, events) }, timeout: timeout).map { $0 & wanted != 0 }
    }

    /// `poll(2)` with its own events per descriptor; returns each descriptor's `revents`. EINTR waits again for
    /// what is left of the timeout.
    static func wait(_ requests: [(Descriptor, Int16)], timeout: Duration?) throws(SystemError) -> [Int16] {
        var fds = requests.map { pollfd(fd: $0.0.rawValue, events: $0.1, revents: 0) }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            let milliseconds = deadline.map { Self.milliseconds(until: $0) } ?? -1
            let count = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
            if count >= 0 { return fds.map(\.revents) }
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
