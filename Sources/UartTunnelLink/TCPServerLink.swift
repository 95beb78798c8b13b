import Foundation
import Logging
import Synchronization
import UartTunnelSystem

/// The device's UART1 as a TCP server, like QEMU's `-serial tcp:127.0.0.1:5556,server`: one peer at a time;
/// when it leaves, the next one may connect. The socket has TCP_NODELAY, and a record goes out in one write
/// whenever the socket has room, because a length and a frame written separately stall ~40 ms on Nagle plus
/// delayed ACK.
///
/// Reads and writes never wait on each other, and a peer that stops reading cannot hang the device:
///
/// ```
///  reader thread "uart-link":     accept ─▶ waitReadable/read ─▶ receiver          (blocking, no lock held)
///  any thread, e.g. tcpip_thread:  send ─▶ non-blocking send(2) ─▶ rest into the TX queue ─▶ poke wake pipe
///  writer thread "uart-link-tx":  poll(wake pipe, peer POLLOUT) ─▶ non-blocking send(2) of the queue
/// ```
///
/// A record the socket cannot take at once waits in a per-connection TX queue of at most
/// ``transmitQueueLimit`` bytes, which the writer thread drains as the peer reads. When a new record would
/// not fit, it is dropped whole (never a part of one, so the peer keeps seeing a valid record stream),
/// counted in ``LinkCounters/recordsDroppedPeerNotReading`` and reported by a rate-limited warning naming the
/// peer. `send` therefore returns at once whatever the peer does, and `stop()` never waits for it either.
///
/// ## Locks
///
/// - `state`: the reader side: the peer the reader serves, `stopping`, and the connection and RX counters.
/// - `tx`: the TX side: the peer writes go to (with its connection number), its queue, and the TX counters.
///
/// Order: `state` may be held while taking `tx` (accept, disconnect and `stop()` switch both sides at once);
/// never `tx` while taking `state`. No lock is held across a blocking system call: `accept`, `read` and the
/// polls run with no lock, and the only system calls made under `tx` are `send(2)` with `MSG_DONTWAIT`, a
/// `shutdown(2)` and a one-byte write to the non-blocking wake pipe, all of which return at once. Nothing is
/// logged and no receiver is called while a lock is held (a logger may write to a pipe nobody drains).
public final class TCPServerLink: @unchecked Sendable {
    /// Most bytes one peer may have waiting in the link before new records are dropped. A UART never holds
    /// more than its TX ring (the in-repo firmware's is 2 KiB), so a peer that has not taken 256 KiB (≈170
    /// full-size records, 22 s of a 115200-baud line) is not reading; holding more would only delay what it sees
    /// once it reads again. The kernel's socket buffers come on top.
    public static let transmitQueueLimit = 256 * 1024
    /// At most one "peer is not reading" warning per interval; the lines in between are counted in the next one.
    static let dropWarningInterval: Duration = .seconds(5)

    /// Where peers come from: a TCP listener (``init(listenOn:logger:)``) or a pty (``pseudoTerminal(symlink:logger:)``).
    public let source: any PeerSource
    private let logger: Logger
    private let state = Mutex(State())
    private let tx = Mutex(Transmit())
    /// Wakes the writer thread (both ends non-blocking); closed in deinit, after both threads have ended.
    private let wake: (read: Descriptor, write: Descriptor)
    private let pollInterval: Duration = .milliseconds(200)

    private struct State {
        /// The current peer; it is connection number `counters.connections` (1, 2, …).
        var peer: Descriptor?
        var stopping = false
        /// Connections, disconnections and bytes in; the TX counters live in `Transmit`.
        var counters = LinkCounters()
    }

    private struct Transmit {
        /// The peer writes go to, and its connection number (what `send(_:continuing:)` returns).
        var peer: Descriptor?
        var peerName = ""
        var connection = 0
        var stopping = false
        /// Bytes accepted for `peer` that its socket has not taken yet: `queue[head...]`.
        var queue: [UInt8] = []
        var head = 0
        /// Bytes out, records out, records without a peer, cut at peer change, dropped, write errors.
        var counters = LinkCounters()
        var droppedOnConnection = 0
        var unreportedDrops = 0
        var unreportedDropBytes = 0
        var lastDropWarning: ContinuousClock.Instant?

        var queued: Int { queue.count - head }

        mutating func attach(_ descriptor: Descriptor, connection: Int, name: String) {
            discardQueue()
            peer = descriptor
            peerName = name
            self.connection = connection
            droppedOnConnection = 0
            unreportedDrops = 0
            unreportedDropBytes = 0
            lastDropWarning = nil
        }

        /// Forgets the peer; returns what a log line should say about what it left behind (nil: nothing).
        mutating func detach() -> String? {
            guard peer != nil else { return nil }
            var notes: [String] = []
            if droppedOnConnection > 0 {
                notes.append("\(droppedOnConnection) record\(droppedOnConnection == 1 ? "" : "s") dropped because it did not read")
            }
            if queued > 0 { notes.append("\(queued) B still queued for it discarded") }
            discardQueue()
            peer = nil
            return notes.isEmpty ? nil : "peer \(peerName): " + notes.joined(separator: ", ")
        }

        mutating func discardQueue() {
            queue = []
            head = 0
        }

        /// Counts a record dropped for lack of room; returns a warning when one is due.
        mutating func noteDrop(bytes: Int, now: ContinuousClock.Instant) -> String? {
            counters.recordsDroppedPeerNotReading += 1
            droppedOnConnection += 1
            unreportedDrops += 1
            unreportedDropBytes += bytes
            if let last = lastDropWarning, now - last < TCPServerLink.dropWarningInterval { return nil }
            let warning = lastDropWarning == nil
                ? "peer \(peerName) is not reading: \(queued) B already wait for it, so TX records are dropped whole "
                    + "until it reads (at most one such line per \(TCPServerLink.dropWarningInterval))"
                : "peer \(peerName) is still not reading: \(unreportedDrops) TX records (\(unreportedDropBytes) B) "
                    + "dropped since the last report, \(droppedOnConnection) on this connection"
            lastDropWarning = now
            unreportedDrops = 0
            unreportedDropBytes = 0
            return warning
        }

        /// Hands the socket as much of the queue as it takes now; false if the peer failed (it is shut down, so
        /// the reader sees end of file and detaches it).
        mutating func flush() -> Bool {
            guard let peer else { return true }
            do {
                while queued > 0 {
                    guard let count = try peer.sendIfReady(queue, from: head), count > 0 else { break }
                    head += count
                    counters.bytesOut += count
                }
            } catch {
                counters.writeErrors += 1
                discardQueue()
                peer.shutdown()
                return false
            }
            if queued == 0 {
                queue.removeAll(keepingCapacity: queue.capacity <= 64 * 1024)
                head = 0
            } else if head >= 64 * 1024 && head >= queued {
                queue.removeFirst(head)
                head = 0
            }
            return true
        }
    }

    /// Binds now (so a port-in-use error surfaces before anything starts); `port` 0 picks a free port.
    public convenience init(listenOn requested: SocketAddress, logger: Logger) throws(SystemError) {
        try self.init(source: TCPListenSource(listenOn: requested), logger: logger)
    }

    /// The TCP address peers connect to; only for a link made with ``init(listenOn:logger:)``.
    public var address: SocketAddress {
        guard let tcp = source as? TCPListenSource else { preconditionFailure("\(source.endpoint) is not a TCP link") }
        return tcp.address
    }

    /// Serves the peers of `source`, which it closes when the link ends (or now, if this fails).
    public init(source: any PeerSource, logger: Logger) throws(SystemError) {
        self.source = source
        do throws(SystemError) {
            wake = try Descriptor.pipe()
        } catch {
            source.close()
            throw error
        }
        do throws(SystemError) {
            try wake.read.setNonBlocking(true)
            try wake.write.setNonBlocking(true)
        } catch {
            source.close()
            wake.read.close()
            wake.write.close()
            throw error
        }
        self.logger = logger
    }

    deinit {
        wake.read.close()
        wake.write.close()
    }

    public var counters: LinkCounters {
        state.withLock { state in
            var counters = state.counters
            let sent = tx.withLock { $0.counters }
            counters.bytesOut = sent.bytesOut
            counters.recordsOut = sent.recordsOut
            counters.recordsWithoutPeer = sent.recordsWithoutPeer
            counters.recordsCutAtPeerChange = sent.recordsCutAtPeerChange
            counters.writeErrors = sent.writeErrors
            counters.recordsDroppedPeerNotReading = sent.recordsDroppedPeerNotReading
            return counters
        }
    }

    public var hasPeer: Bool { state.withLock { $0.peer != nil } }

    /// The peer writes go to and its name: what a device process replaced by esp_restart hands to its successor.
    public var currentPeer: (peer: Descriptor, name: String)? {
        tx.withLock { tx in tx.peer.map { ($0, tx.peerName) } }
    }

    /// Bytes accepted for the current peer that its socket has not taken yet (at most about
    /// ``transmitQueueLimit`` plus one record).
    public var queuedBytes: Int { tx.withLock { $0.queued } }

    /// The current peer once the link has had to drop a record for it (it is not reading), else nil.
    public var stalledPeer: StalledPeer? {
        tx.withLock { tx in
            tx.peer != nil && tx.droppedOnConnection > 0
                ? StalledPeer(peer: tx.peerName, queuedBytes: tx.queued, droppedRecords: tx.droppedOnConnection) : nil
        }
    }

    /// The reader thread's name ("-tx" for the writer's), so a device's links tell apart in gdb and `ps -L`
    /// (UART1's "uart-link", the soft-AP's "ap-link"). Set before `start`.
    public var threadName = "uart-link"

    /// Starts the accept/read thread and the writer thread. `receiver` is held strongly until `stop()`.
    public func start(delivering receiver: ByteStreamReceiver) {
        let writer = Thread { [self] in runWriter() }
        writer.name = threadName + "-tx"
        writer.start()
        let thread = Thread { [self] in run(receiver) }
        thread.name = threadName
        thread.start()
    }

    /// Sends one whole record to the current peer. Without a peer the record is counted and dropped.
    @discardableResult
    public func send(_ record: [UInt8]) -> Bool {
        send(record, continuing: nil) != nil
    }

    /// Sends bytes to the current peer and returns which connection took them (nil: none did). `connection`
    /// nil starts a record; otherwise the bytes continue a record begun on that connection and go nowhere if
    /// another peer has attached since, so a peer never receives the tail of a record begun on its predecessor.
    ///
    /// Never blocks on the network: bytes the socket cannot take at once are queued for the writer thread. A
    /// new record that would bring the queue past ``transmitQueueLimit`` is dropped whole (nil); a record's
    /// continuation is always queued, so a record begun is finished.
    public func send(_ bytes: [UInt8], continuing connection: Int?) -> Int? {
        var warning: String?
        var failed = false
        // The lock keeps records whole and in order when several threads send; it is held only across
        // non-blocking calls.
        let taken = tx.withLock { tx -> Int? in
            guard let peer = tx.peer, connection == nil || connection == tx.connection else {
                if connection == nil {
                    tx.counters.recordsWithoutPeer += 1
                } else {
                    tx.counters.recordsCutAtPeerChange += 1
                }
                return nil
            }
            if connection == nil && tx.queued > 0 && tx.queued + bytes.count > Self.transmitQueueLimit {
                warning = tx.noteDrop(bytes: bytes.count, now: .now)
                return nil
            }
            var offset = 0
            let wasEmpty = tx.queued == 0
            if wasEmpty {
                do {
                    offset = try peer.sendIfReady(bytes) ?? 0
                    tx.counters.bytesOut += offset
                } catch {
                    tx.counters.writeErrors += 1
                    // a record begun on a peer that went away before it ended is cut at the peer change, whether
                    // the reader saw the peer leave first or this write did
                    if connection != nil { tx.counters.recordsCutAtPeerChange += 1 }
                    peer.shutdown()  // the reader sees end of file and detaches the peer
                    failed = true
                    return nil
                }
            }
            if offset < bytes.count {
                tx.queue.append(contentsOf: bytes[offset...])
                // The writer polls the socket only while the queue is not empty: tell it there is work.
                if wasEmpty { wake.write.poke() }
            }
            if connection == nil { tx.counters.recordsOut += 1 }
            return tx.connection
        }
        if let warning { logger.warning("\(warning)") }
        if failed { logger.debug("write to the peer failed; it is being disconnected") }
        return taken
    }

    /// Stops accepting and drops the peer (and what was queued for it) without waiting for it; the threads end
    /// within one poll interval.
    public func stop() {
        let (peer, note) = state.withLock { state -> (Descriptor?, String?) in
            state.stopping = true
            let note = tx.withLock { tx -> String? in
                tx.stopping = true
                return tx.detach()
            }
            return (state.peer, note)
        }
        wake.write.poke()
        peer?.shutdown()
        if let note { logger.info("\(note)") }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func run(_ receiver: ByteStreamReceiver) {
        defer { source.close() }
        while !isStopping {
            do {
                guard let (peer, from) = try source.nextPeer(timeout: pollInterval) else { continue }
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.peer = peer
                    state.counters.connections += 1
                    let connection = state.counters.connections
                    tx.withLock { $0.attach(peer, connection: connection, name: from) }
                    return true
                }
                guard accepted else { source.release(peer); break }
                logger.info("peer connected from \(from)")
                receiver.linkConnected(peer: from.description)
                let reason = read(from: peer, into: receiver)
                let note = state.withLock { state -> String? in
                    state.peer = nil
                    state.counters.disconnections += 1
                    return tx.withLock { $0.detach() }
                }
                // No write can reach `peer` any more (writes check the connection under `tx`): release it.
                wake.write.poke()
                source.release(peer)
                logger.info("peer disconnected: \(reason)")
                if let note { logger.warning("\(note)") }
                receiver.linkDisconnected(reason: reason)
            } catch {
                logger.error("waiting for a peer on \(source.endpoint) failed: \(error)")
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    /// Reads until EOF, error or stop; returns why it ended.
    private func read(from peer: Descriptor, into receiver: ByteStreamReceiver) -> String {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while !isStopping {
            let wait: Duration
            if let deadline = receiver.nextDeadline {
                wait = max(.zero, min(pollInterval, deadline - .now))
            } else {
                wait = pollInterval
            }
            do {
                guard try peer.waitReadable(timeout: wait) else {
                    receiver.linkIdle(at: .now)
                    continue
                }
                let count = try peer.read(into: buffer)
                if count == 0 { return "end of stream" }
                state.withLock { $0.counters.bytesIn += count }
                receiver.linkReceived(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), at: .now)
            } catch {
                return "\(error)"
            }
        }
        return "link stopped"
    }

    /// The writer thread: sleeps on the wake pipe while nothing is queued, otherwise waits for room in the
    /// peer's socket and hands it what it takes. Ends when the link stops.
    private func runWriter() {
        while true {
            let (peer, connection, pending, stopping) = tx.withLock { ($0.peer, $0.connection, $0.queued > 0, $0.stopping) }
            if stopping { return }
            let writing = pending ? peer.map { [$0] } ?? [] : []
            // A closed or reused descriptor here is harmless: the poll ends within the interval, and the write
            // below happens only if the same connection is still attached.
            guard let ready = try? Poll.ready(reading: [wake.read], writing: writing, timeout: pollInterval) else {
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            if !ready.readable.isEmpty { wake.read.drainIfReady() }
            guard !ready.writable.isEmpty else { continue }
            let failed = tx.withLock { tx -> Bool in
                guard tx.peer != nil, tx.connection == connection, !tx.stopping else { return false }
                return !tx.flush()
            }
            if failed { logger.debug("write to the peer failed; it is being disconnected") }
        }
    }
}
