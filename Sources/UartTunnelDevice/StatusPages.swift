import Foundation

/// The device's two pages: `GET /` (a small status page) and `GET /api/status` (counters as JSON).
enum StatusPages {
    static func response(for path: String, status: DeviceStatus) -> HTTPResponse {
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

    static func json(_ status: DeviceStatus) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(status)) ?? Data("{}".utf8)
    }

    static func html(_ status: DeviceStatus) -> String {
        """
        <!DOCTYPE html>
        <html><head><title>uart-tunnel device</title></head><body>
        <h1>uart-tunnel device</h1>
        <p>lwIP on UART1 tunnel: \(status.ip) (MAC \(status.mac)), gateway \(status.gateway)</p>
        <p>Uptime \(status.uptimeMs / 1000) s. RX \(status.rx.frames) frames, TX \(status.tx.frames) frames,
        \(status.rx.badLengths) bad lengths, \(status.rx.timeouts) timeouts.</p>
        <p><a href="/api/status">/api/status</a></p>
        </body></html>

        """
    }
}
