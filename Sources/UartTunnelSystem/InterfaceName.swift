/// A Linux network interface name, validated before it reaches an ioctl or an `ip` argv: 1...15 bytes (IFNAMSIZ
/// less the NUL), no '/', ':', whitespace or NUL, and not "." or "..". These are the kernel's own rules
/// (`dev_valid_name`); checking them here gives a clear message instead of a bare EINVAL.
public struct InterfaceName: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(validating text: String) throws(InterfaceNameError) {
        let bytes = Array(text.utf8)
        func reject(_ reason: String) -> InterfaceNameError { InterfaceNameError(name: text, reason: reason) }
        guard !bytes.isEmpty else { throw reject("it is empty") }
        guard bytes.count <= 15 else { throw reject("it has \(bytes.count) bytes; Linux allows at most 15") }
        guard text != ".", text != ".." else { throw reject("'.' and '..' are reserved") }
        if let bad = text.unicodeScalars.first(where: { $0 == "/" || $0 == ":" || $0 == "\0" || $0.properties.isWhitespace }) {
            throw reject("it contains \(bad == "\0" ? "NUL" : "'\(bad.escaped(asASCII: true))'"), which Linux forbids")
        }
        rawValue = text
    }

    public var description: String { rawValue }
}

public struct InterfaceNameError: Error, Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public let reason: String

    public var description: String { "invalid interface name '\(name)': \(reason)" }
}
