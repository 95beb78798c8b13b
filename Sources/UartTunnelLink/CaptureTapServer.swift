import Foundation
import Logging
import UartTunnelSystem

/// `device --tap HOST:PORT`: the raw capture (pcapng, UART bytes and decoded frames) streamed live to every client
/// that connects, from the moment it connects — what `uart-tunnel extcap` (Wireshark) or `nc HOST PORT | tshark -r -`
/// read. The UART peer and the tap are separate ports because the device's UART has one peer at a time, as on QEMU.
///
/// The device never waits for a tap client: each block is sent without blocking and what the client's socket does
/// not take waits in that client's queue, which one thread drains as the socket has room. A client more than 4 MiB
/// behind is disconnected (its capture would have a hole), and counted.
final class CaptureTapServer: CaptureDestination, @unchecked Sendable {
    let address: SocketAddress
    let isStream = true
    private let listener: Descriptor
    private let wake: (read: Descriptor, write: Descriptor)
    private let lock = NSLock()
    private var clients: [Client] = []
    private var greeting: [UInt8] = []
    private var stopping = false
    private var thread: Thread?
    private var started = false
    /// Set (under the lock) by the thread as it closes them: a descriptor number may be reused after that.
    private var descriptorsClosed = false
    private let logger: Logger
    private(set) var clientsServed = 0
    private(set) var clientsDropped = 0
    static let queueLimit = 4 * 1024 * 1024

    private final class Client {
        let socket: Descriptor
        let peer: SocketAddress
        var pending: [UInt8]
        var sent = 0
        init(socket: Descriptor, peer: SocketAddress, pending: [UInt8]) {
            self.socket = socket
            self.peer = peer
            self.pending = pending
        }
        var backlog: Int { pending.count - sent }
    }

    init(address: SocketAddress, logger: Logger) throws(SystemError) {
        listener = try TCPSocket.listen(on: address, backlog: 4)
        do throws(SystemError) {
            self.address = try TCPSocket.localAddress(of: listener)
            wake = try Descriptor.pipe()
            try wake.write.setNonBlocking(true)
            try wake.read.setNonBlocking(true)
        } catch {
            listener.close()
            throw error
        }
        self.logger = logger
    }

    /// Starts accepting; each client first gets `greeting` (the SHB and IDBs).
    func start(greeting: [UInt8]) {
        let thread = Thread { [self] in run() }
        thread.name = "uart-tap"
        lock.withLock {
            self.greeting = greeting
            self.thread = thread
            started = true
        }
        thread.start()
        logger.info("capture tap listening on \(address) (pcapng: `uart-tunnel extcap`, or `nc \(address.host) \(address.port) | tshark -r -`)")
    }

    var clientCount: Int { lock.withLock { clients.count } }
    var droppedCount: Int { lock.withLock { clientsDropped } }

    /// A block for every client: sent now if its socket has room, else queued. Never waits.
    func write(_ bytes: [UInt8]) {
        lock.withLock {
            for client in clients {
                client.pending += bytes
                if client.backlog == bytes.count { send(client) }
            }
            drop { $0.backlog > Self.queueLimit }
            // The thread waits for room only for clients with a backlog: wake it to add this one's socket.
            if !descriptorsClosed, clients.contains(where: { $0.backlog > 0 }) { wake.write.poke() }
        }
    }

    func close() {
        let (running, started) = lock.withLock { () -> (Bool, Bool) in
            let was = !stopping
            stopping = true
            return (was, self.started)
        }
        guard running else { return }
        guard started else {  // never started: no thread holds the descriptors
            listener.close()
            wake.read.close()
            wake.write.close()
            return
        }
        lock.withLock { if !descriptorsClosed { wake.write.poke() } }
        // The thread closes the sockets on its way out; wait for it (bounded by its own poll wake-up).
        for _ in 0..<200 where lock.withLock({ !clients.isEmpty || thread != nil }) { usleep(5_000) }
    }

    /// Under the lock: one non-blocking send of what `client` still has to get.
    private func send(_ client: Client) {
        guard client.backlog > 0 else { return }
        do {
            guard let count = try client.socket.sendIfReady(client.pending, from: client.sent) else { return }
            client.sent += count
            if client.sent == client.pending.count {
                client.pending.removeAll(keepingCapacity: true)
                client.sent = 0
            }
        } catch {
            client.pending = []  // gone: removed when the thread sees the hang-up
            client.sent = 0
        }
    }

    /// Under the lock.
    private func drop(where condition: (Client) -> Bool) {
        for client in clients where condition(client) {
            logger.warning("capture tap client \(client.peer) fell \(client.backlog) bytes behind: disconnected")
            client.socket.close()
            clientsDropped += 1
        }
        clients.removeAll(where: condition)
    }

    private func run() {
        defer {
            lock.withLock {
                for client in clients { client.socket.close() }
                clients = []
                listener.close()
                wake.read.close()
                wake.write.close()
                descriptorsClosed = true
                thread = nil
            }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let (sockets, waiting, done) = lock.withLock {
                (clients.map(\.socket), clients.filter { $0.backlog > 0 }.map(\.socket), stopping)
            }
            if done { return }
            guard let ready = try? Poll.ready(reading: [listener, wake.read] + sockets, writing: waiting, timeout: nil) else {
                return
            }
            if ready.readable.contains(wake.read) { wake.read.drainIfReady() }
            if ready.readable.contains(listener), let (socket, peer) = try? TCPSocket.accept(listener) {
                lock.withLock {
                    let client = Client(socket: socket, peer: peer, pending: greeting)
                    clients.append(client)
                    clientsServed += 1
                    send(client)
                }
                logger.info("capture tap client \(peer) connected")
            }
            lock.withLock {
                for client in clients where ready.writable.contains(client.socket) { send(client) }
                // A client sends nothing: readable means it closed (or sent junk, which is read and ignored).
                var closed: [Client] = []
                for client in clients where ready.readable.contains(client.socket) {
                    do {
                        if try client.socket.readIfReady(into: &buffer) == 0 { closed.append(client) }
                    } catch {
                        closed.append(client)
                    }
                }
                for client in closed {
                    logger.info("capture tap client \(client.peer) left")
                    client.socket.close()
                }
                clients.removeAll { client in closed.contains { $0 === client } }
            }
        }
    }
}
