import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import UartTunnelChecks
@testable import UartTunnelDevice
import UartTunnelLink
import UartTunnelSystem
import UartTunnelTestSupport

/// The device's HTTP server on lwIP (``LwIPHTTPServer``), reached as users reach it: `uart-tunnel device` and
/// `uart-tunnel bridge` in a private network namespace, the test's sockets made in that namespace and connecting
/// through the kernel and tun0 to the device's lwIP at 192.168.100.2:80. Before this server, one slowloris
/// connection kept every other client waiting (0 of 23 requests in 45 s), pipelined requests got one answer,
/// garbage was closed without a word and a 1 MB header was answered 200.
@Suite(.ownThreads) struct HTTPServerTests {
    static let namespaceTests = NetworkNamespace.unavailableReason == nil

    /// While one connection trickles its request head (a byte a second, never its end), 23 other clients are each
    /// served. Causal, not timed: each answer counts only if the slowloris connection is still open and unanswered
    /// after it arrived, i.e. the server answered while that connection waited for its head (a slowloris the
    /// server's head timeout ended meanwhile is replaced and the request asked again).
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func aSlowlorisConnectionDoesNotHoldUpOtherClients() throws {
        let tunnel = try Tunnel(tag: "hslow")
        var slow = try Slowloris(tunnel)
        var served = 0, attempts = 0
        while served < 23 && attempts < 60 {
            attempts += 1
            if !slow.isWaiting { slow = try Slowloris(tunnel) }
            slow.trickle()
            let client = try tunnel.connect()
            try #require(client.send("GET /api/status HTTP/1.1\r\nHost: 192.168.100.2\r\nConnection: close\r\n\r\n"))
            let response = try #require(client.response(within: .seconds(10)), "request \(served + 1) not answered\(tunnel.context())")
            try #require(response.status == 200, "\(response.head)")
            #expect((try? JSONSerialization.jsonObject(with: Data(response.body))) != nil, "not JSON")
            if slow.isWaiting { served += 1 }
        }
        #expect(served == 23, "\(served) of 23 answered while a slowloris connection was waiting (\(attempts) asked)")
    }

    /// The slowloris itself: a byte every 500 ms does not keep its request alive past the head timeout (5 s from
    /// accept): it gets 408 and is closed.
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func aTricklingHeadTimesOutWith408() throws {
        let tunnel = try Tunnel(tag: "h408")
        let started = ContinuousClock.now
        var slow = try Slowloris(tunnel)
        while slow.isWaiting && ContinuousClock.now - started < .seconds(20) {
            pause(.milliseconds(500))
            slow.trickle(every: .milliseconds(500))
        }
        let elapsed = ContinuousClock.now - started
        let answer = slow.client.readToEnd(within: .seconds(5))
        #expect(answer.closed, "the server closes the connection")
        #expect(String(decoding: answer.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"),
                "\(String(decoding: answer.bytes.prefix(200), as: UTF8.self))")
        #expect(elapsed >= .seconds(4) && elapsed < .seconds(15), "closed after \(elapsed)")
    }

    /// Three GETs in one write get three answers, in order, on one connection; the last asks to close.
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func pipelinedRequestsAreAnsweredInOrder() throws {
        let tunnel = try Tunnel(tag: "hpipe")
        let client = try tunnel.connect()
        try #require(client.send("GET /bytes/3 HTTP/1.1\r\nHost: 192.168.100.2\r\n\r\n"
            + "GET /api/status HTTP/1.1\r\nHost: 192.168.100.2\r\n\r\n"
            + "GET /bytes/5 HTTP/1.1\r\nHost: 192.168.100.2\r\nConnection: close\r\n\r\n"))
        let first = try #require(client.response(within: .seconds(10)), "no first answer\(tunnel.context())")
        let second = try #require(client.response(within: .seconds(10)), "no second answer")
        let third = try #require(client.response(within: .seconds(10)), "no third answer")
        let bytes = { (n: Int) in
            HTTPResponse(status: 200, reason: "OK", contentType: "application/octet-stream", body: TransferPattern.bytes(count: n))
        }
        #expect(first.raw == LwIPHTTPServer.serialize(bytes(3), keepAlive: true))
        #expect(second.status == 200 && second.headers["content-type"] == "application/json", "\(second.head)")
        #expect((try? JSONSerialization.jsonObject(with: Data(second.body))) != nil)
        #expect(second.headers["connection"] == "keep-alive")
        // the last answer, on a connection that then closes, is byte for byte what the server always sent
        #expect(third.raw == bytes(5).serialized)
        #expect(client.readToEnd(within: .seconds(5)) == (closed: true, bytes: []), "closed after the third")
    }

    /// Keep-alive: requests written one after another on one connection, GET and HEAD.
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let tunnel = try Tunnel(tag: "hkeep")
        let client = try tunnel.connect()
        for index in 0..<5 {
            try #require(client.send("GET /bytes/\(index) HTTP/1.1\r\nHost: 192.168.100.2\r\n\r\n"))
            let response = try #require(client.response(within: .seconds(10)), "answer \(index)\(tunnel.context())")
            #expect(response.body == TransferPattern.bytes(count: index))
        }
        try #require(client.send("HEAD /bytes/7 HTTP/1.0\r\n\r\n"))  // HTTP/1.0 without keep-alive: then closed
        let head = try #require(client.response(within: .seconds(10), headOnly: true))
        #expect(head.headers["content-length"] == "7" && head.body.isEmpty && head.headers["connection"] == "close")
        #expect(client.readToEnd(within: .seconds(5)).closed)
    }

    /// Malformed request lines and fields get 400, other methods 405/501, HTTP/2 505; each closes the connection.
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func malformedRequestsGetAnErrorStatusAndAClose() throws {
        let tunnel = try Tunnel(tag: "hbad")
        let cases: [(request: [UInt8], status: String)] = [
            (Array("GARBAGE\r\n\r\n".utf8), "400 Bad Request"),
            (Array("GET /\r\n\r\n".utf8), "400 Bad Request"),
            (Array("GET / HTTP/1.1 extra\r\n\r\n".utf8), "400 Bad Request"),
            (Array("GET  / HTTP/1.1\r\n\r\n".utf8), "400 Bad Request"),
            ([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03], "400 Bad Request"),  // TLS hello, no LF
            (Array("GET / HTTP/1.1\r\nHost : x\r\n\r\n".utf8), "400 Bad Request"),
            (Array("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n".utf8), "400 Bad Request"),
            (Array("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n".utf8), "400 Bad Request"),
            (Array("POST / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), "405 Method Not Allowed"),
            (Array("BREW / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), "501 Not Implemented"),
            (Array("GET / HTTP/2.0\r\n\r\n".utf8), "505 HTTP Version Not Supported"),
        ]
        for (request, status) in cases {
            let client = try tunnel.connect()
            try #require(client.send(request))
            let answer = client.readToEnd(within: .seconds(4))  // before the 5 s head timeout could answer 408
            let text = String(decoding: answer.bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 \(status)\r\n"), "\(String(decoding: request.prefix(40), as: UTF8.self).debugDescription): \(text.prefix(120).debugDescription)")
            #expect(text.contains("\r\nConnection: close\r\n"))
            #expect(answer.closed, "\(status): connection closed after the answer")
            if status.hasPrefix("405") { #expect(text.contains("\r\nAllow: GET, HEAD\r\n")) }
        }
        // the server still serves afterwards
        let client = try tunnel.connect()
        try #require(client.send("GET / HTTP/1.1\r\nHost: 192.168.100.2\r\n\r\n"))
        #expect(client.response(within: .seconds(10))?.status == 200)
    }

    /// A 1 MiB header field: 431 as soon as the head passes 8 KiB, one answer only (no 200, nothing truncated),
    /// then the connection closes. The client keeps sending while it reads, as a real one would.
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func aOneMebibyteHeaderGets431() throws {
        let tunnel = try Tunnel(tag: "h431")
        let client = try tunnel.connect()
        let request = Array("GET / HTTP/1.1\r\nHost: 192.168.100.2\r\nX-Big: ".utf8)
            + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + Array("\r\n\r\n".utf8)
        let sender = Thread { _ = client.send(request) }  // fails once the server has closed: fine
        sender.start()
        let answer = client.readToEnd(within: .seconds(15))
        let text = String(decoding: answer.bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(text.prefix(200).debugDescription)")
        #expect(answer.bytes == LwIPHTTPServer.serialize(HTTPError.headerFieldsTooLarge.response, keepAlive: false),
                "exactly one answer, then the end")
        #expect(answer.closed)
    }

    /// All places taken by connections that never finish their heads: a new client is still served, well before
    /// any of them times out, because the one that waited longest gives way.
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func aFullServerMakesRoomForANewClient() throws {
        let tunnel = try Tunnel(tag: "hfull")
        let started = ContinuousClock.now
        let slow = try (0..<LwIPHTTPServer.Limits.connections).map { _ in try Slowloris(tunnel) }
        let client = try tunnel.connect()
        try #require(client.send("GET /bytes/4 HTTP/1.1\r\nHost: 192.168.100.2\r\n\r\n"))
        let response = try #require(client.response(within: .seconds(15)), "not served\(tunnel.context())")
        #expect(response.body == TransferPattern.bytes(count: 4))
        // Served by eviction, not by the head timeout, however slow this machine: the evicted connection is
        // closed without a word, while a head timeout answers 408 first. Exactly one gives way.
        #expect(eventually { slow.contains(where: \.endedWithoutAnswer) },
                "no slowloris connection was evicted (\(ContinuousClock.now - started))\(tunnel.context())")
        #expect(slow.filter(\.endedWithoutAnswer).count == 1)
    }

    /// Open connections do not hold the device up at SIGTERM: with a slowloris and a client that asked for 16 MiB
    /// and reads none of it, the device exits 0 within a couple of seconds (each connection thread looks at the
    /// server's stop every 200 ms, and stop waits at most 2 s for them).
    @Test(.enabled(if: namespaceTests, "needs root for a network namespace and TAP"))
    func sigtermEndsTheDeviceWithConnectionsOpen() throws {
        let tunnel = try Tunnel(tag: "hterm")
        let stalled = try tunnel.connect()
        try #require(stalled.send("GET /bytes/16777216 HTTP/1.1\r\nHost: 192.168.100.2\r\n\r\n"))
        // The answer has begun and lies unread: 16 MiB cannot fit in the socket buffers and the window, so the
        // device's connection thread is sending (or blocked sending) from here on. (The answer's first byte takes
        // 0.5 s in a debug build and over 5 s beside the other tests: the 500 ms pause this replaces proved nothing.)
        try #require(eventually(within: .seconds(60)) { stalled.hasUnreadBytes }, "no answer began\(tunnel.context())")
        // Then the slowloris, and a request answered after it: the server accepts in order, so the slowloris is
        // in a connection thread of its own, waiting for the rest of its head (5 s from now).
        let slow = try Slowloris(tunnel)
        let after = try tunnel.connect()
        try #require(after.send("GET /api/status HTTP/1.1\r\nHost: 192.168.100.2\r\nConnection: close\r\n\r\n"))
        try #require(after.response(within: .seconds(10))?.status == 200, "\(tunnel.context())")
        #expect(slow.isWaiting)
        let started = ContinuousClock.now
        let status = tunnel.device.terminate(grace: .seconds(10))
        let took = ContinuousClock.now - started
        #expect(status == 0, "\(tunnel.context())")
        #expect(took < .seconds(4), "SIGTERM took \(took)")
    }

    // MARK: - Parsing and serialising, without a device

    @Test func aClosingAnswerIsByteForByteTheResponseAsAlwaysSerialized() {
        let responses = [
            HTTPResponse.notFound,
            HTTPResponse(status: 200, reason: "OK", contentType: "application/json", body: Array("{}\n".utf8)),
            HTTPResponse(status: 200, reason: "OK", contentType: "application/octet-stream", body: TransferPattern.bytes(count: 100)),
            HTTPResponse(status: 400, reason: "Bad Request", contentType: "text/plain", body: Array("n must be 0...1\n".utf8)),
        ]
        for response in responses {
            #expect(LwIPHTTPServer.serialize(response, keepAlive: false) == response.serialized)
            let kept = String(decoding: LwIPHTTPServer.serialize(response, keepAlive: true), as: UTF8.self)
            #expect(kept == String(decoding: response.serialized, as: UTF8.self)
                .replacingOccurrences(of: "Connection: close", with: "Connection: keep-alive"))
        }
    }

    @Test func headsParseOrAreRejectedAsHTTPSays() {
        func parse(_ text: String, limit: Int = 8192) -> HTTPRequestHead.Outcome {
            HTTPRequestHead.parse(ArraySlice(text.utf8), limit: limit)
        }
        func path(_ text: String) -> String? {
            if case .request(let head, _) = parse(text) { return head.path }
            return nil
        }
        #expect(path("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n") == "/api/status")
        #expect(path("GET /bytes?n=5 HTTP/1.1\r\n\r\n") == "/bytes")  // the query never reached the pages
        #expect(path("GET http://192.168.100.2/api/status?x HTTP/1.1\r\n\r\n") == "/api/status")
        #expect(path("GET http://192.168.100.2 HTTP/1.1\r\n\r\n") == "/")
        #expect(path("\r\n\r\nGET / HTTP/1.0\n\n") == "/")  // empty lines first, bare LF
        if case .request(let head, let length) = parse("GET / HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n\r\n") {
            #expect(length == 18 && head.keepAlive)
        } else { Issue.record("first of two pipelined heads") }
        if case .request(let head, _) = parse("GET / HTTP/1.1\r\nConnection: Keep-Alive, Close\r\nContent-Length: 3, 3\r\n\r\n") {
            #expect(!head.keepAlive && head.contentLength == 3)
        } else { Issue.record("connection tokens") }
        if case .request(let head, _) = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") { #expect(head.keepAlive) }
        #expect(parse("GET / HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(parse("GET / HTT") == .incomplete)
        #expect(parse("") == .incomplete)
        #expect(parse("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == .reject(.badRequest))
        #expect(parse("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == .reject(.notImplemented))
        #expect(parse("GET / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n") == .reject(.contentTooLarge))
        #expect(parse("GET / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n") == .reject(.badRequest))
        #expect(parse("GE(T / HTTP/1.1") == .reject(.badRequest))  // not a token: at once, before the line ends
        #expect(parse("get / HTTP/1.1\r\n\r\n") == .reject(.notImplemented))  // methods are case-sensitive
        #expect(parse("OPTIONS * HTTP/1.1\r\n\r\n") == .reject(.methodNotAllowed))
        #expect(parse("GET * HTTP/1.1\r\n\r\n") == .reject(.badRequest))
        // limits: a head longer than the limit, in its fields (431) or in its request line alone (414)
        let long = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 100)
        #expect(parse(long, limit: 64) == .reject(.headerFieldsTooLarge))
        #expect(parse(long + "\r\n\r\n", limit: 64) == .reject(.headerFieldsTooLarge))
        #expect(parse(long + "\r\n\r\n", limit: 200) != .reject(.headerFieldsTooLarge))
        #expect(parse("GET /" + String(repeating: "a", count: 100), limit: 64) == .reject(.uriTooLong))
        #expect(parse(String(repeating: "\r\n", count: 40), limit: 64) == .reject(.badRequest))
    }
}

// MARK: - Fixtures

/// `uart-tunnel device` and `uart-tunnel bridge` in a namespace of their own; `connect()` opens a TCP connection
/// from that namespace to the device's port 80.
private final class Tunnel {
    let namespace: NetworkNamespace
    let device: ChildProcess
    let bridge: ChildProcess

    init(tag: String) throws {
        Signals.ignorePipe()
        namespace = try NetworkNamespace(tag: tag)
        device = try namespace.start([BuiltExecutable.uartTunnel, "device", "--listen", "127.0.0.1:5556"])
        guard device.waitForOutput(containing: "status pages: http://", timeout: .seconds(30)),
              device.waitForOutput(containing: "listening on", timeout: .seconds(30)) else {
            throw CheckFailure("device did not start: \(device.output.suffix(800))")
        }
        bridge = try namespace.start([BuiltExecutable.uartTunnel, "bridge", "--connect", "127.0.0.1:5556", "--ifname", "tun0"])
        var up = false
        for _ in 0..<100 where !up {
            up = (try? namespace.run(["ip", "-o", "addr", "show", "dev", "tun0"]).output.contains("192.168.100.1/24")) ?? false
            if !up { pause(.milliseconds(100)) }
        }
        guard up else { throw CheckFailure("tun0 never came up\(context())") }
    }

    deinit {
        bridge.terminate()
        device.terminate()
    }

    func connect() throws -> HTTPClient {
        let name = namespace.name
        let socket = try NetworkNamespaceEntry.run(inNamespace: name) {
            try TCPSocket.connect(to: SocketAddress(host: "192.168.100.2", port: 80), timeout: .seconds(10))
        }
        return HTTPClient(socket)
    }

    func context() -> String {
        "\n--- device ---\n\(device.output.suffix(1200))\n--- bridge ---\n\(bridge.output.suffix(400))"
    }
}

/// A connection that sends the start of a request head and then a byte now and then, never its end.
private struct Slowloris {
    let client: HTTPClient
    private var last = ContinuousClock.now

    init(_ tunnel: Tunnel) throws {
        client = try tunnel.connect()
        guard client.send("GET / HTTP/1.1\r\nHost: 192.168.100.2\r\nX-Slow: ") else { throw CheckFailure("send failed") }
    }

    /// Sends one more byte of the endless field value when `every` has passed since the last.
    mutating func trickle(every: Duration = .seconds(1)) {
        guard ContinuousClock.now - last >= every else { return }
        last = .now
        _ = client.send("a")
    }

    /// Open, and the server has sent nothing on it (no answer, no end).
    var isWaiting: Bool {
        let n = client.peek()
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Ended by the server without a byte (closed or reset): how an evicted connection ends (a head timeout
    /// answers 408 before it closes).
    var endedWithoutAnswer: Bool {
        let n = client.peek()
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }
}

/// A blocking client socket with a read buffer: whole responses by Content-Length, or everything to the end.
private final class HTTPClient: @unchecked Sendable {
    let socket: Descriptor
    private let buffer = Mutex<[UInt8]>([])
    private let ended = Atomic(false)

    init(_ socket: Descriptor) { self.socket = socket }
    deinit { socket.close() }

    struct Response {
        var raw: [UInt8]
        var head: String
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Every byte, or false once the connection fails (never SIGPIPE).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket.rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// recv of one byte with MSG_PEEK, without waiting: 1 if a byte waits unread, 0 at the end, -1 (errno) else.
    func peek() -> Int {
        var byte: UInt8 = 0
        return recv(socket.rawValue, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
    }

    /// Bytes have arrived that nobody has read yet.
    var hasUnreadBytes: Bool { peek() > 0 }

    /// The next whole response (`headOnly`: one without its body, as for HEAD); nil at the end or the timeout.
    func response(within timeout: Duration, headOnly: Bool = false) -> Response? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let response = take(headOnly: headOnly) { return response }
            guard fill(until: deadline) else { return nil }
        }
    }

    /// Everything up to the end of the stream (a reset counts as the end); `closed` false after the timeout.
    func readToEnd(within timeout: Duration) -> (closed: Bool, bytes: [UInt8]) {
        let deadline = ContinuousClock.now + timeout
        while fill(until: deadline) {}
        return (ended.load(ordering: .relaxed), buffer.withLock { bytes in defer { bytes = [] }; return bytes })
    }

    /// Reads once; false at the end of the stream or the deadline.
    private func fill(until deadline: ContinuousClock.Instant) -> Bool {
        guard !ended.load(ordering: .relaxed) else { return false }
        let remaining = deadline - .now
        guard remaining > .zero, (try? socket.waitReadable(timeout: remaining)) == true else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = (try? socket.read(into: &chunk)) ?? 0
        guard n > 0 else {
            ended.store(true, ordering: .relaxed)
            return false
        }
        buffer.withLock { $0 += chunk[0..<n] }
        return true
    }

    private func take(headOnly: Bool) -> Response? {
        buffer.withLock { bytes in
            let end = Array("\r\n\r\n".utf8)
            guard let headEnd = bytes.indices.dropLast(3).first(where: { bytes[$0..<($0 + 4)].elementsEqual(end) })
            else { return nil }
            let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = headOnly ? 0 : Int(headers["content-length"] ?? "0") ?? 0
            let total = headEnd + 4 + length
            guard bytes.count >= total else { return nil }
            let raw = Array(bytes[..<total])
            bytes.removeFirst(total)
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
            return Response(raw: raw, head: head, status: status, headers: headers, body: Array(raw[(headEnd + 4)...]))
        }
    }
}
