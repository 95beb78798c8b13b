import UartTunnelLink
import UartTunnelLwIP
import UartTunnelSystem

/// How `uart-tunnel device` runs. Defaults mirror the seed: QEMU's chardev port 5556 (on loopback only),
/// the seed's addresses and MACs, a 1 s partial-frame timeout and the web server on port 80.
public struct DeviceConfiguration: Sendable {
    public var listen = SocketAddress(host: "127.0.0.1", port: 5556)
    /// `--listen unix:PATH`: the UART is a unix socket at PATH (mode 0600) instead of `listen`.
    public var unixSocket: String?
    /// `--pty`: the UART is a new pseudo-terminal instead of the TCP endpoint (QEMU's `-serial pty`).
    public var pty = false
    /// `--pty-link PATH`: a symbolic link to the pty's slave, so tools need no changing /dev/pts number.
    public var ptySymlink: String?
    public var tunnel = TunnelConfiguration()
    public var frameTimeout: Duration = .seconds(1)
    public var httpPort: UInt16 = 80
    /// The UART between the TCP endpoint and the driver: baud pacing, fault injection, captures (default: none).
    public var link = LinkConfiguration()

    public init() {}
}
