import Foundation
import Logging
import UartTunnelSystem

/// Run-time control of the scripted radio (`uart-tunnel device … --radio-control 127.0.0.1:5558`): each connection
/// sends one command line (`drop-ap NAME`, `restore-ap NAME`, `rssi NAME DBM`, `password NAME NEW`) and gets one
/// line back, `ok` or `error: …`. `uart-tunnel radio` is its client. Loopback only, like the UART endpoint.
public final class RadioControl: @unchecked Sendable {
    public let address: SocketAddress
    private let listener: Descriptor
    private let logger: Logger

    public init(listen: SocketAddress, logger: Logger) throws(SystemError) {
        listener = try TCPSocket.listen(on: listen, backlog: 4)
        address = try TCPSocket.localAddress(of: listener)
        self.logger = logger
        let thread = Thread { [self] in serve() }
        thread.name = "radio-control"
        thread.start()
    }

    private func serve() {
        while true {
            guard let (peer, _) = try? TCPSocket.accept(listener) else { return }
            let reply = Self.handle(Self.readLine(peer))
            logger.info("radio control: \(reply)")
            try? peer.writeAll(Array((reply + "\n").utf8))
            peer.close()
        }
    }

    /// One line of at most 256 bytes (the commands are short).
    private static func readLine(_ peer: Descriptor) -> String {
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while line.count < 256, !line.contains(UInt8(ascii: "\n")) {
            guard let count = try? peer.read(into: &buffer), count > 0 else { break }
            line += buffer.prefix(count)
        }
        return String(decoding: line.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    static func handle(_ line: String) -> String {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        do {
            let change = try RadioChange(command: words)
            return change.apply() ? "ok \(words.joined(separator: " "))" : "error: no AP named \"\(change.ssid)\""
        } catch {
            return "error: \(error)"
        }
    }

    /// The client side: sends `command` to a device's control address and returns its answer line.
    public static func send(_ command: [String], to address: SocketAddress) throws -> String {
        let socket = try TCPSocket.connect(to: address, timeout: .seconds(5))
        defer { socket.close() }
        try socket.writeAll(Array((command.joined(separator: " ") + "\n").utf8))
        return readLine(socket)
    }
}
