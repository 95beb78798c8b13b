import Foundation
import UartTunnelLink

/// The device's pages, the same for every driver: `GET /` (a small status page), `GET /api/status` (counters as
/// JSON) and `GET /bytes/N` (or `/bytes?n=N`): N deterministic bytes (``TransferPattern``, at most 16 MiB) for
/// transfer tests and benchmarks.
enum StatusPages {
    static func response(for path: String, status: DeviceStatus) -> HTTPResponse {
        if let count = transferLength(path) {
            guard (0...TransferPattern.maximumLength).contains(count) else {
                return HTTPResponse(status: 400, reason: "Bad Request", contentType: "text/plain",
                                    body: Array("n must be 0...\(TransferPattern.maximumLength)\n".utf8))
            }
            return HTTPResponse(status: 200, reason: "OK", contentType: "application/octet-stream",
                                body: TransferPattern.bytes(count: count))
        }
        switch path {
        case "/api/status":
            return HTTPResponse(status: 200, reason: "OK", contentType: "application/json",
                                body: Array(json(status)) + [0x0A])
        case "/", "/index.html":
            return HTTPResponse(status: 200, reason: "OK", contentType: "text/html", body: Array(html(status).utf8))
        default:
            return .notFound
        }
    }

    /// N from `/bytes/N` or `/bytes?n=N`; -1 for a malformed N; nil for other paths.
    static func transferLength(_ path: String) -> Int? {
        if path.hasPrefix("/bytes/") {
            return Int(path.dropFirst("/bytes/".count)) ?? -1
        }
        if path.hasPrefix("/bytes?") {
            for pair in path.dropFirst("/bytes?".count).split(separator: "&") where pair.hasPrefix("n=") {
                return Int(pair.dropFirst(2)) ?? -1
            }
            return -1
        }
        return nil
    }

    static func json(_ status: DeviceStatus) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(status)) ?? Data("{}".utf8)
    }

    static func html(_ status: DeviceStatus) -> String {
        let defects = status.defects.isEmpty
            ? "none" : status.defects.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return """
            <!DOCTYPE html>
            <html><head><title>uart-tunnel device</title></head><body>
            <h1>uart-tunnel device (driver \(status.driver))</h1>
            <p>lwIP on UART1 tunnel: \(status.ip) (MAC \(status.mac)), gateway \(status.gateway)</p>
            <p>Uptime \(status.uptimeMs / 1000) s. RX \(status.rx.frames) frames, TX \(status.tx.frames) frames,
            \(status.rx.badLengths) bad lengths, \(status.rx.timeouts) timeouts. Link: \(status.link.bytesIn) B in,
            \(status.link.bytesOut) B out, \(status.connections) connections. Driver defects: \(defects).</p>
            <p><a href="/api/status">/api/status</a></p>
            </body></html>

            """
    }
}
