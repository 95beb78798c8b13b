/// A complete HTTP/1.0-style response (the device closes the connection after each one, as small
/// esp_http_server handlers commonly do).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, reason: String, contentType: String, body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.contentType = contentType
        self.body = body
    }

    public static let notFound = HTTPResponse(status: 404, reason: "Not Found", contentType: "text/plain",
                                              body: Array("not found\n".utf8))

    public var serialized: [UInt8] {
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
