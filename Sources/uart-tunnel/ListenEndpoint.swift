import ArgumentParser
import UartTunnelLink

/// The rule every device link's listen option follows (`--listen`, `--ap-listen`): `HOST:PORT` or `unix:PATH`, and a
/// TCP address off loopback only with `--listen-any`, because a link has no authentication.
enum ListenEndpoint {
    static func parse(_ text: String, option: String, listenAny: Bool) throws -> LinkEndpoint {
        let endpoint: LinkEndpoint
        do {
            endpoint = try LinkEndpoint(parsing: text)
        } catch {
            throw ValidationError(text.hasPrefix("unix:") ? "\(option) \(error)" : "\(option) \(text): \(error)")
        }
        guard endpoint.isLocal || listenAny else {
            throw ValidationError("\(option) \(text) is not a loopback address: the link has no authentication, "
                + "so anyone who can reach it could take the device's line. Pass --listen-any to accept that")
        }
        return endpoint
    }
}
