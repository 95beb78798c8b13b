/// A complete response with its length. `serialized` says `Connection: close`; ``LwIPHTTPServer`` swaps that for
/// `keep-alive` when the connection stays open for more requests (HTTP/1.1 keep-alive and pipelining).
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
