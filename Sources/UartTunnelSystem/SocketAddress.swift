#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 TCP endpoint, `host:port`, e.g. `127.0.0.1:5556` (QEMU's chardev default in the seed).
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// A dotted-quad IPv4 literal.
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` where HOST is an IPv4 literal (or `localhost`, meaning 127.0.0.1) and PORT is 0...65535.
    public init(parsing text: String) throws(AddressParseError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw AddressParseError(text: text, reason: "expected HOST:PORT, e.g. 127.0.0.1:5556")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host == "localhost" { host = "127.0.0.1" }
        guard Self.ipv4Bytes(host) != nil else {
            throw AddressParseError(text: text, reason: "host '\(host)' is not an IPv4 address like 127.0.0.1")
        }
        guard let port = UInt16(portText) else {
            throw AddressParseError(text: text, reason: "port '\(portText)' is not a number in 0...65535")
        }
        self.init(host: host, port: port)
    }

    public var description: String { "\(host):\(port)" }

    /// The four address bytes of a dotted-quad literal, or nil.
    static func ipv4Bytes(_ host: String) -> in_addr? {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1 ? address : nil
    }

    /// Calls `body` with this address as a `sockaddr_in`.
    func withSockaddr<Result>(
        _ call: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Result
    ) throws(SystemError) -> Result {
        guard let address = Self.ipv4Bytes(host) else { throw SystemError(call: "\(call)(\(self))", errno: EINVAL) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr = address
        return try withUnsafePointer(to: &sin) { (pointer) throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(SystemError) in
                try body(address, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    init(_ sin: sockaddr_in) {
        var address = sin.sin_addr
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
        self.init(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                  port: UInt16(bigEndian: sin.sin_port))
    }
}

/// Why a `HOST:PORT` text was rejected; `description` names the text and what was expected.
public struct AddressParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "invalid address '\(text)': \(reason)" }
}
