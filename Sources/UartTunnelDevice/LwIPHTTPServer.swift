import CLwIP
import Foundation
import Logging
import Synchronization

/// A minimal HTTP server on lwIP's own sockets API (`lwip_socket`, …), so requests travel through the tunnel
/// netif and lwIP's TCP, as they do to the firmware's esp_http_server; the host's sockets are not involved.
/// lwIP (tcpip_thread) must already run: the driver starts it (``DeviceDriver/statusPort``).
final class LwIPHTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (_ path: String) -> HTTPResponse

    private let socket: Int32
    private let handler: Handler
    private let logger: Logger
    private let stopping = Atomic(false)

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
        guard lwip_listen(fd, 4) == 0 else { let code = errno; lwip_close(fd); throw StartError.call("listen", code) }
        // accept wakes up every 200 ms to see `stopping`: closing a listener another thread is blocked on in
        // lwip_accept deadlocks inside lwIP (the mbox is freed while it is being waited on).
        var tick = timeval(tv_sec: 0, tv_usec: 200_000)
        _ = lwip_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, socklen_t(MemoryLayout<timeval>.size))
        socket = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "lwip-httpd"
        thread.start()
    }

    /// Ends the accept loop and returns once it has closed the listener (within one accept timeout), so the port
    /// is free for a device started next in this process.
    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        _ = closed.wait(timeout: .now() + 2)
    }

    private let closed = DispatchSemaphore(value: 0)

    private func acceptLoop() {
        defer {
            lwip_close(socket)
            closed.signal()
        }
        while !stopping.load(ordering: .relaxed) {
            let client = lwip_accept(socket, nil, nil)
            guard client >= 0 else { continue }  // timed out (EWOULDBLOCK): look at `stopping` again
            serve(client)
            lwip_close(client)
        }
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = lwip_setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let path = readRequestPath(client) else { return }
        logger.debug("HTTP GET \(path)")
        let response = handler(path).serialized
        response.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let n = lwip_send(client, bytes.baseAddress! + sent, bytes.count - sent, 0)
                if n <= 0 { return }
                sent += n
            }
        }
        _ = lwip_shutdown(client, Int32(SHUT_WR))
    }

    /// Reads the request head (up to 4 KB) and returns the path of a GET; nil for anything else.
    private func readRequestPath(_ client: Int32) -> String? {
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while request.count < 4096 {
            let n = chunk.withUnsafeMutableBytes { lwip_recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            request += chunk[0..<n]
            if Self.hasHeadEnd(request) { break }
        }
        guard let line = String(decoding: request, as: UTF8.self).split(separator: "\r\n").first else { return nil }
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0] == "GET" else { return nil }
        return String(parts[1].split(separator: "?").first ?? parts[1])
    }

    /// True once the blank line that ends an HTTP request head has arrived.
    static func hasHeadEnd(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return true
        }
        return false
    }
}
