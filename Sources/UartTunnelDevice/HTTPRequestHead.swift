/// One HTTP/1.x request head (RFC 9112 §2–§6), parsed from the front of a connection's buffered bytes, or the
/// error status the server answers it with. Strict where a lenient reading would let a request be misframed
/// (whitespace before a colon, obsolete line folding, bad or conflicting Content-Length: 400), lenient where
/// HTTP lets a server be (empty lines before the request line, a bare LF as line end).
struct HTTPRequestHead: Equatable, Sendable {
    var method: String
    /// The request target as sent (`/bytes/5`, `/api/status?x=1`, `http://host/`).
    var target: String
    /// What the page handler gets: the target's path, without query (as the server always passed it).
    var path: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    var keepAlive: Bool
    /// Body bytes that follow the head (Content-Length); the server reads and drops them.
    var contentLength: Int

    /// The methods this server implements.
    static let served: Set<String> = ["GET", "HEAD"]
    /// Methods HTTP defines that the server knows but does not allow on its pages: 405 with `Allow`; any other
    /// method is 501 (RFC 9110 §9.1, §15.5.6, §15.6.2).
    static let known: Set<String> = ["POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]
    /// The largest body a GET/HEAD may carry (it is read and dropped to keep the connection's framing).
    static let maximumBody = 1 << 20

    /// What the front of a buffer holds.
    enum Outcome: Equatable {
        /// Not a whole head yet, and nothing wrong so far.
        case incomplete
        /// A head of `length` bytes (leading empty lines included), to answer.
        case request(HTTPRequestHead, length: Int)
        /// A head the server refuses; the connection is closed after the answer.
        case reject(HTTPError)
    }

    /// Parses the head at the front of `bytes`. `limit` bounds the head (request line, header fields and the
    /// empty line after them): a longer request line is 414, longer header fields 431, as soon as it is exceeded.
    static func parse(_ bytes: ArraySlice<UInt8>, limit: Int) -> Outcome {
        // The whole head, empty lines before it included, must end within `limit` bytes.
        let window = bytes.prefix(limit)
        var start = window.startIndex
        // RFC 9112 §2.2: empty lines before a request line are ignored.
        while start < window.endIndex, window[start] == lf || window[start] == cr {
            if window[start] == cr, start + 1 < window.endIndex, window[start + 1] != lf { return .reject(.badRequest) }
            start += 1
        }
        let overLimit = bytes.count > limit
        guard let lineEnd = window[start...].firstIndex(of: lf) else {
            if let invalid = firstLineInvalid(window[start...]) { return .reject(invalid) }
            guard overLimit else { return .incomplete }
            return .reject(start == window.endIndex ? .badRequest : .uriTooLong)  // only empty lines: not a request
        }
        let request: HTTPRequestHead
        switch requestLine(window[start..<lineEnd]) {
        case nil: return .reject(.badRequest)
        case .failure(let error): return .reject(error)
        case .success(let parsed): request = parsed
        }

        // Header field lines up to the empty line.
        var fields = FieldState()
        var cursor = lineEnd + 1
        while true {
            guard let end = window[cursor...].firstIndex(of: lf) else {
                return overLimit ? .reject(.headerFieldsTooLarge) : .incomplete
            }
            var line = window[cursor..<end]
            if line.last == cr { line = line.dropLast() }
            cursor = end + 1
            if line.isEmpty { break }
            if let error = fields.add(line) { return .reject(error) }
        }
        if fields.transferEncoding { return .reject(.notImplemented) }  // no chunked request bodies here
        if fields.invalidLength { return .reject(.badRequest) }
        if fields.contentLength > maximumBody { return .reject(.contentTooLarge) }
        if !served.contains(request.method) {
            return .reject(known.contains(request.method) ? .methodNotAllowed : .notImplemented)
        }
        var head = request
        head.contentLength = fields.contentLength
        head.keepAlive = head.minorVersion >= 1
            ? !fields.connection.contains("close") : fields.connection.contains("keep-alive")
        return .request(head, length: cursor - bytes.startIndex)
    }

    // MARK: - Request line

    /// `method SP request-target SP HTTP-version`; nil when it is not that shape at all.
    private static func requestLine(_ raw: ArraySlice<UInt8>) -> Result<HTTPRequestHead, HTTPError>? {
        var line = raw
        if line.last == cr { line = line.dropLast() }
        let parts = line.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
              !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let version = Array(parts[2])
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)), isDigit(version[5]), version[6] == dot,
              isDigit(version[7]) else { return nil }
        guard version[5] == UInt8(ascii: "1") else { return .failure(.versionNotSupported) }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        guard let path = path(of: target, method: method) else { return nil }
        return .success(HTTPRequestHead(method: method, target: target, path: path,
                                        minorVersion: Int(version[7] - UInt8(ascii: "0")),
                                        keepAlive: false, contentLength: 0))
    }

    /// The path of an origin-form (`/p?q`) or absolute-form (`http://host/p?q`) target, without its query;
    /// `*` (asterisk-form, OPTIONS only) passes through for the 405. Anything else is not a target.
    private static func path(of target: String, method: String) -> String? {
        if target.hasPrefix("/") { return String(target.prefix(while: { $0 != "?" })) }
        if target == "*" { return method == "OPTIONS" ? "*" : nil }
        let lower = target.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            return path(of: rest[slash] == "?" ? "/" + rest[slash...] : String(rest[slash...]), method: method)
        }
        return nil
    }

    /// A partial first line (no LF yet) that cannot become a request line: control or non-ASCII bytes, or a
    /// method that is not a token. Answered at once instead of after the timeout or the size limit.
    private static func firstLineInvalid(_ partial: ArraySlice<UInt8>) -> HTTPError? {
        var inMethod = true
        for (offset, byte) in zip(partial.indices, partial) {
            if byte == cr { return offset == partial.index(before: partial.endIndex) ? nil : .badRequest }
            if byte == space { inMethod = false; continue }
            if byte < 0x20 || byte >= 0x7F { return .badRequest }
            if inMethod && !isTokenByte(byte) { return .badRequest }
        }
        return nil
    }

    // MARK: - Header fields

    private struct FieldState {
        var connection: Set<String> = []
        var contentLength = 0
        var sawLength = false
        var invalidLength = false
        var transferEncoding = false

        /// Takes one field line; an error for a malformed one (RFC 9112 §5: no whitespace before the colon, no
        /// obsolete folding, a token name; no CR, NUL or other control byte but HT in the value).
        mutating func add(_ line: ArraySlice<UInt8>) -> HTTPError? {
            guard let first = line.first, first != space, first != tab else { return .badRequest }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                  line[..<colon].allSatisfy(isTokenByte) else { return .badRequest }
            let rawValue = line[(colon + 1)...]
            guard !rawValue.contains(where: { ($0 < 0x20 && $0 != tab) || $0 == 0x7F }) else { return .badRequest }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: rawValue, as: UTF8.self).trimmingOWS
            switch name {
            case "connection":
                for token in value.split(separator: ",") { connection.insert(String(token).trimmingOWS.lowercased()) }
            case "content-length":
                // "42" or a list of the same value ("42, 42"), RFC 9112 §6.3; anything else misframes the stream
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let digits = String(item).trimmingOWS
                    guard !digits.isEmpty, digits.utf8.allSatisfy(isDigit) else { invalidLength = true; return nil }
                    let length = digits.count > 12 ? Int.max : Int(digits)!
                    if sawLength && length != contentLength { invalidLength = true }
                    contentLength = length
                    sawLength = true
                }
            case "transfer-encoding":
                transferEncoding = true
            default:
                break
            }
            return nil
        }
    }
}

/// An HTTP error status the server answers itself (then closes the connection).
struct HTTPError: Error, Equatable, Sendable {
    var status: Int
    var reason: String

    static let badRequest = HTTPError(status: 400, reason: "Bad Request")
    static let methodNotAllowed = HTTPError(status: 405, reason: "Method Not Allowed")
    static let requestTimeout = HTTPError(status: 408, reason: "Request Timeout")
    static let contentTooLarge = HTTPError(status: 413, reason: "Content Too Large")
    static let uriTooLong = HTTPError(status: 414, reason: "URI Too Long")
    static let headerFieldsTooLarge = HTTPError(status: 431, reason: "Request Header Fields Too Large")
    static let notImplemented = HTTPError(status: 501, reason: "Not Implemented")
    static let versionNotSupported = HTTPError(status: 505, reason: "HTTP Version Not Supported")

    /// The answer: a one-line text body; 405 names the methods that are allowed.
    var response: HTTPResponse {
        HTTPResponse(status: status, reason: reason, contentType: "text/plain", body: Array((reason.lowercased() + "\n").utf8))
    }
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
private let dot = UInt8(ascii: ".")

private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

/// tchar (RFC 9110 §5.6.2): the bytes of a method or a field name.
private func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
         UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
         UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
    default: false
    }
}

private extension String {
    /// Without leading and trailing SP/HT (OWS).
    var trimmingOWS: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
