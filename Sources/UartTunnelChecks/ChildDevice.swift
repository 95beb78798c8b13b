import UartTunnelSystem

/// A `uart-tunnel device` started as a child process on an ephemeral loopback port (lwIP is one stack per
/// process, so every driver a check compares runs in its own).
public struct ChildDevice {
    public let process: ChildProcess
    public let address: SocketAddress

    /// Starts `tool device --listen 127.0.0.1:0 … arguments` and waits for its "tunnel listening on" line.
    public init(tool: String, arguments: [String], name: String = "device", startTimeout: Duration = .seconds(60)) throws {
        process = try ChildProcess([tool, "device", "--listen", "127.0.0.1:0", "--log-level", "info"] + arguments)
        address = try Self.listeningAddress(of: process, name: name, timeout: startTimeout)
    }

    /// Reads "tunnel listening on HOST:PORT;" from the device's log (a firmware may log other "listening" lines).
    public static func listeningAddress(of child: ChildProcess, name: String, timeout: Duration = .seconds(60)) throws
        -> SocketAddress {
        let marker = "tunnel listening on "
        guard child.waitForOutput(containing: marker, timeout: timeout) else {
            throw CheckFailure("\(name) device did not start:\n\(DeviceLogFindings.startFailure(child.output))")
        }
        let output = child.output
        guard let range = output.range(of: marker),
              let text = output[range.upperBound...].split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "\n" }).first
        else { throw CheckFailure("no address in the \(name) device's log") }
        return try SocketAddress(parsing: String(text))
    }
}
