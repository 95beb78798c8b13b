import UartTunnelSystem

/// Where a device link listens, as its options spell it: `HOST:PORT` (TCP) or `unix:PATH` (a unix socket of mode
/// 0600, like QEMU's `-serial unix:PATH,server`). One parser for every such option (`--listen`, `--ap-listen`).
public enum LinkEndpoint: Sendable, Equatable, CustomStringConvertible {
    case tcp(SocketAddress)
    case unix(String)

    /// Parses `text`; the error says what is wrong, for a one-line message after the option's name.
    public init(parsing text: String) throws(LinkEndpointError) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty, path.utf8.count <= UnixSocket.maxPathLength else {
                throw LinkEndpointError("unix:PATH needs a path of 1...\(UnixSocket.maxPathLength) bytes")
            }
            self = .unix(path)
        } else {
            do {
                self = .tcp(try SocketAddress(parsing: text))
            } catch {
                throw LinkEndpointError("\(error)")
            }
        }
    }

    /// Only this machine can reach it: a loopback TCP address, or a unix socket. Anything else needs the user's
    /// explicit consent (`--listen-any`): a link has no authentication.
    public var isLocal: Bool {
        switch self {
        case .tcp(let address): address.isLoopback
        case .unix: true
        }
    }

    public var description: String {
        switch self {
        case .tcp(let address): address.description
        case .unix(let path): "unix:\(path)"
        }
    }
}

public struct LinkEndpointError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
