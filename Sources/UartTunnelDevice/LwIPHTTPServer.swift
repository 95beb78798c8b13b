import CLwIP
import Foundation
import Logging
import Synchronization

/// A small HTTP/1.1 server on lwIP's own sockets API (`lwip_socket`, …), so requests travel through the tunnel
/// netif and lwIP's TCP, as they do to the firmware's esp_http_server; the host's sockets are not involved.
/// lwIP (tcpip_thread) must already run: the driver starts it (``DeviceDriver/statusPort``).
///
/// Connections are served at once, each on a thread of its own, at most ``Limits/connections`` of them (the
/// acceptor leaves further ones queued in lwIP's accept backlog until one ends). A connection may send several
/// requests, one after another or pipelined in one write; they are answered in order. Every request head must be
/// complete within ``Limits/requestTimeout`` of the moment the connection starts waiting for it (accepted, or its
/// previous answer sent), however slowly its bytes trickle: a slowloris connection ends with 408, an idle
/// keep-alive connection is closed, and neither holds up anyone else. When all places are taken and another client
/// waits, the connection that has waited longest for a request gives way (esp_http_server's `lru_purge_enable`).
/// Malformed heads get 400, heads over ``Limits/head`` bytes 431 (414 for a request line alone), other methods than
/// GET/HEAD 405 or 501; the connection then closes. See ``HTTPRequestHead``.
final class LwIPHTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (_ path: String) -> HTTPResponse

    enum Limits {
        /// Simultaneous connections. Debian's liblwip sets no limit of its own (MEMP pools are malloc'd and its
        /// `max_sockets` patch makes the socket table a list), so this is the server's own bound, that of
        /// esp_http_server's default `max_open_sockets` (7) plus one: each connection is a thread and, while it
        /// answers `/bytes/N`, up to 16 MiB of body, so the device's memory stays bounded whatever a client does.
        static let connections = 8
        /// Bytes of one request head (request line, header fields, the empty line): 8 KiB, the common default
        /// (Apache's LimitRequestFieldSize 8190, nginx's 8k header buffers); curl and browsers stay far below,
        /// and 8 connections buffer at most 64 KiB of heads.
        static let head = 8 * 1024
        /// A request head must be complete this long after the connection starts waiting for it; also how long a
        /// send may make no progress. esp_http_server's `recv_wait_timeout`/`send_wait_timeout` default, 5 s.
        static let requestTimeout: Duration = .seconds(5)
        /// How long a connection closed after an error answer goes on reading (and dropping) what the client still
        /// sends, so lwIP does not reset the connection over unread data before the client has read the answer.
        static let linger: Duration = .seconds(2)
        /// A connection waits at least this long for its request before it may give way to a new client.
        static let evictableAfter: Duration = .seconds(1)
    }

    /// How often blocked calls come back to look at `stopping` and evictions.
    fileprivate static let tick = timeval(tv_sec: 0, tv_usec: 200_000)

    private let socket: Int32
    private let handler: Handler
    private let logger: Logger
    private let stopping = Atomic(false)
    private let connections = Mutex(Registry())
    private let closed = DispatchSemaphore(value: 0)
    private let running = DispatchGroup()

    enum StartError: Error, CustomStringConvertible {
        case call(String, Int32)
        var description: String {
            switch self {
            case .call(let name, let code): "lwIP \(name) failed: \(String(cString: strerror(code))) (errno \(code))"
            }
        }
    }

    init(port: UInt16, logger: Logger, handler: @escaping Handler) throws {
        self.handler = handler
        self.logger = logger
        let fd = lwip_socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError.call("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = 0  // any address of the stack: the tunnel netif's
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                lwip_bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { let code = errno; lwip_close(fd); throw StartError.call("bind", code) }
        guard lwip_listen(fd, Int32(Limits.connections)) == 0 else {
            let code = errno; lwip_close(fd); throw StartError.call("listen", code)
        }
        // The acceptor polls with a timeout to see `stopping`: closing a listener another thread is blocked on in
        // lwip_accept deadlocks inside lwIP (the mbox is freed while it is being waited on).
        var tick = Self.tick
        _ = lwip_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, socklen_t(MemoryLayout<timeval>.size))
        socket = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "lwip-httpd"
        thread.start()
    }

    /// Ends the accept loop and the connections; returns once the listener is closed (within one tick) and the
    /// connections have ended (each within a tick), at most 2 s, so the port is free for a device started next.
    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        let deadline = DispatchTime.now() + 2
        _ = closed.wait(timeout: deadline)
        _ = running.wait(timeout: deadline)
    }

    /// Connections open now (for tests and the log).
    var openConnections: Int { connections.withLock { $0.open.count } }

    // MARK: - Accepting

    private struct Registry {
        /// Per open connection: since when it waits for a request head (nil while it answers or closes).
        var open: [Int: ContinuousClock.Instant?] = [:]
        var evicted: Set<Int> = []
        var nextID = 0
    }

    private func acceptLoop() {
        defer {
            lwip_close(socket)
            closed.signal()
        }
        while !stopping.load(ordering: .relaxed) {
            var listener = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let full = connections.withLock { $0.open.count >= Limits.connections }
            if full {
                // Someone waits in the backlog: the longest-waiting idle or slow connection makes room.
                if lwip_poll(&listener, 1, 0) > 0 { evictLongestWaiting() }
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            guard lwip_poll(&listener, 1, Int32(Self.tick.tv_usec / 1000)) > 0 else { continue }
            let client = lwip_accept(socket, nil, nil)
            guard client >= 0 else { continue }  // timed out or gone again: look at `stopping` again
            let id = connections.withLock { registry in
                registry.nextID += 1
                registry.open[registry.nextID] = .now
                return registry.nextID
            }
            running.enter()
            let thread = Thread { [self] in
                defer {
                    lwip_close(client)
                    connections.withLock {
                        $0.open[id] = nil
                        $0.evicted.remove(id)
                    }
                    running.leave()
                }
                var connection = Connection(server: self, socket: client, id: id)
                connection.serve()
            }
            thread.name = "lwip-httpd-\(id)"
            thread.start()
        }
    }

    private func evictLongestWaiting() {
        connections.withLock { registry in
            guard registry.evicted.isEmpty else { return }  // one at a time: wait until it has gone
            let now = ContinuousClock.now
            let waiting = registry.open.compactMap { id, since in since.map { (id, $0) } }
                .filter { now - $0.1 >= Limits.evictableAfter }
            guard let oldest = waiting.min(by: { $0.1 < $1.1 }) else { return }
            registry.evicted.insert(oldest.0)
        }
    }

    fileprivate func setWaiting(_ id: Int, since: ContinuousClock.Instant?) {
        connections.withLock { $0.open[id] = since }
    }

    fileprivate func shouldEnd(_ id: Int) -> Bool {
        stopping.load(ordering: .relaxed) || connections.withLock { $0.evicted.contains(id) }
    }

    fileprivate func respond(to head: HTTPRequestHead) -> HTTPResponse {
        logger.debug("HTTP \(head.method) \(head.path)")
        return handler(head.path)
    }

    // MARK: - Serialising

    /// The bytes of an answer: exactly ``HTTPResponse/serialized`` when the connection closes after it; on a
    /// kept-alive connection the same with `Connection: keep-alive`. A 405 names the allowed methods; a HEAD answer
    /// has the GET's head without its body.
    static func serialize(_ response: HTTPResponse, keepAlive: Bool, includeBody: Bool = true) -> [UInt8] {
        let allow = response.status == 405 ? "Allow: GET, HEAD\r\n" : ""
        let head = "HTTP/1.1 \(response.status) \(response.reason)\r\nContent-Type: \(response.contentType)\r\n"
            + "Content-Length: \(response.body.count)\r\n\(allow)Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return includeBody ? Array(head.utf8) + response.body : Array(head.utf8)
    }
}

/// One client connection, on its own thread: reads request heads, answers them in order, closes.
private struct Connection {
    let server: LwIPHTTPServer
    let socket: Int32
    let id: Int

    /// What the connection has read and not yet used; `used` bytes at its front are done with.
    private var buffer: [UInt8] = []
    private var used = 0
    /// Body bytes of the last request still to be read and dropped.
    private var bodyToDrop = 0

    init(server: LwIPHTTPServer, socket: Int32, id: Int) {
        self.server = server
        self.socket = socket
        self.id = id
    }

    mutating func serve() {
        var tick = LwIPHTTPServer.tick
        _ = lwip_setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tick, socklen_t(MemoryLayout<timeval>.size))
        _ = lwip_setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &tick, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1  // pipelined answers go out at once, not behind Nagle and the client's delayed ACK
        _ = lwip_setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))

        var waitingSince = ContinuousClock.now
        while true {
            // Answer every complete request already read, in order.
            while bodyToDrop == 0 {
                switch HTTPRequestHead.parse(buffer[used...], limit: LwIPHTTPServer.Limits.head) {
                case .incomplete:
                    break
                case .request(let head, let length):
                    used += length
                    server.setWaiting(id, since: nil)
                    let body = min(head.contentLength, buffer.count - used)
                    used += body
                    bodyToDrop = head.contentLength - body
                    let response = server.respond(to: head)
                    let bytes = LwIPHTTPServer.serialize(response, keepAlive: head.keepAlive,
                                                         includeBody: head.method != "HEAD")
                    guard send(bytes) else { return }
                    guard head.keepAlive else { return lingeringClose() }
                    waitingSince = .now
                    server.setWaiting(id, since: waitingSince)
                    continue
                case .reject(let error):
                    server.setWaiting(id, since: nil)
                    _ = send(LwIPHTTPServer.serialize(error.response, keepAlive: false))
                    return lingeringClose()
                }
                break
            }
            compact()
            if server.shouldEnd(id) { return }
            if ContinuousClock.now - waitingSince >= LwIPHTTPServer.Limits.requestTimeout {
                // Idle between requests: just close; part of a request: say why.
                if used < buffer.count || bodyToDrop > 0 {
                    server.setWaiting(id, since: nil)
                    _ = send(LwIPHTTPServer.serialize(HTTPError.requestTimeout.response, keepAlive: false))
                    lingeringClose()
                }
                return
            }
            guard let chunk = receive() else { return }
            if chunk.isEmpty { continue }  // a tick without bytes
            let dropped = min(bodyToDrop, chunk.count)
            bodyToDrop -= dropped
            buffer += chunk[dropped...]
        }
    }

    /// Drops used bytes once they are most of the buffer.
    private mutating func compact() {
        if used == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            used = 0
        } else if used > 4096 {
            buffer.removeFirst(used)
            used = 0
        }
    }

    /// Up to 4 KiB: the bytes read, [] after a tick without any, nil at the end of the stream or an error.
    private func receive() -> ArraySlice<UInt8>? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { lwip_recv(socket, $0.baseAddress, $0.count, 0) }
        if n > 0 { return chunk[0..<n] }
        if n < 0, errno == EWOULDBLOCK || errno == EAGAIN || errno == EINTR { return [] }
        return nil
    }

    /// Sends it all; false when the peer is gone, the server stops, or no byte moves for the request timeout.
    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var sent = 0
            var progress = ContinuousClock.now
            while sent < raw.count {
                let n = lwip_send(socket, raw.baseAddress! + sent, raw.count - sent, 0)
                if n > 0 {
                    sent += n
                    progress = .now
                    continue
                }
                guard n < 0, errno == EWOULDBLOCK || errno == EAGAIN || errno == EINTR,
                      ContinuousClock.now - progress < LwIPHTTPServer.Limits.requestTimeout,
                      !server.shouldEnd(id) else { return false }
            }
            return true
        }
    }

    /// After the last answer: FIN, then read and drop what the client still sends until it closes too (or the
    /// linger time is up), so the answer is not lost to a reset over unread data.
    private func lingeringClose() {
        _ = lwip_shutdown(socket, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + LwIPHTTPServer.Limits.linger
        while ContinuousClock.now < deadline, !server.shouldEnd(id), receive() != nil {}
    }
}
