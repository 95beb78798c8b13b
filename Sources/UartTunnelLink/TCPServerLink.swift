import Foundation
import Logging
import Synchronization
import UartTunnelSystem

/// The device's UART1 as a TCP server, like QEMU's `-serial tcp:127.0.0.1:5556,server`: one peer at a time;
/// when it leaves, the next one may connect. Each `send` is one write on a TCP_NODELAY socket, because a
/// length and a frame written separately stall ~40 ms on Nagle plus delayed ACK.
public final class TCPServerLink: @unchecked Sendable {
    public let address: SocketAddress
    private let listener: Descriptor
    private let logger: Logger
    private let state = Mutex(State())
    private let pollInterval: Duration = .milliseconds(200)

    private struct State {
        /// The current peer; it is connection number `counters.connections` (1, 2, …).
        var peer: Descriptor?
        var stopping = false
        var counters = LinkCounters()
    }

    /// Binds now (so a port-in-use error surfaces before anything starts); `port` 0 picks a free port.
    public init(listenOn requested: SocketAddress, logger: Logger) throws(SystemError) {
        listener = try TCPSocket.listen(on: requested, backlog: 1)
        address = try TCPSocket.localAddress(of: listener)
        self.logger = logger
    }

    public var counters: LinkCounters { state.withLock { $0.counters } }
    public var hasPeer: Bool { state.withLock { $0.peer != nil } }

    /// Starts the accept/read thread. `receiver` is held strongly until `stop()`.
    public func start(delivering receiver: ByteStreamReceiver) {
        let thread = Thread { [self] in run(receiver) }
        thread.name = "uart-link"
        thread.start()
    }

    /// Writes one whole record to the current peer. Without a peer the record is counted and dropped.
    @discardableResult
    public func send(_ record: [UInt8]) -> Bool {
        send(record, continuing: nil) != nil
    }

    /// Writes bytes to the current peer and returns which connection took them (nil: none did). `connection`
    /// nil starts a record; otherwise the bytes continue a record begun on that connection and go nowhere if
    /// another peer has attached since, so a peer never receives the tail of a record begun on its predecessor.
    public func send(_ bytes: [UInt8], continuing connection: Int?) -> Int? {
        // Holding the lock across the write keeps records whole when several threads send.
        state.withLock { state in
            guard let peer = state.peer, connection == nil || connection == state.counters.connections else {
                if connection == nil {
                    state.counters.recordsWithoutPeer += 1
                } else {
                    state.counters.recordsCutAtPeerChange += 1
                }
                return nil
            }
            do {
                try peer.writeAll(bytes)
                state.counters.recordsOut += connection == nil ? 1 : 0
                state.counters.bytesOut += bytes.count
                return state.counters.connections
            } catch {
                state.counters.writeErrors += 1
                peer.shutdown()  // the reader sees EOF and detaches the peer
                return nil
            }
        }
    }

    /// Stops accepting and drops the peer; the reader thread ends within one poll interval.
    public func stop() {
        let peer = state.withLock { state -> Descriptor? in
            state.stopping = true
            return state.peer
        }
        peer?.shutdown()
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func run(_ receiver: ByteStreamReceiver) {
        defer { listener.close() }
        while !isStopping {
            do {
                guard try listener.waitReadable(timeout: pollInterval) else { continue }
                let (peer, from) = try TCPSocket.accept(listener)
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.peer = peer
                    state.counters.connections += 1
                    return true
                }
                guard accepted else { peer.close(); break }
                logger.info("peer connected from \(from)")
                receiver.linkConnected(peer: from.description)
                let reason = read(from: peer, into: receiver)
                state.withLock { state in
                    state.peer = nil
                    state.counters.disconnections += 1
                }
                peer.close()
                logger.info("peer disconnected: \(reason)")
                receiver.linkDisconnected(reason: reason)
            } catch {
                logger.error("accept on \(address) failed: \(error)")
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
}
