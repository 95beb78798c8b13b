import UartTunnelSystem
import UartTunnelWire

/// Everything `uart-tunnel bridge` takes on its command line. Defaults are the seed's setup.
public struct BridgeConfiguration: Sendable {
    /// The device's TCP endpoint: QEMU's UART1 chardev server, or `uart-tunnel device`.
    public var device: SocketAddress
    /// `--connect unix:PATH`: the device is a unix socket at PATH instead of `device`.
    public var unixSocket: String?
    /// `--serial`: the device is this tty (a board's USB-serial adapter, a pty) instead of `device`.
    public var serial: SerialLine?
    /// `--max-frame`: the longest frame either way (1518; up to 9018 for jumbo frames). The MTU must fit it.
    public var maxFrame = WireFormat.maxFrameLength
    public var interfaceName: InterfaceName
    public var mode: TunTapDevice.Mode
    public var address: InterfaceAddress
    /// The interface MTU. A frame to the device may be at most MTU + 14 bytes, and the wire allows `maxFrame`
    /// (1518), so 68...1504 (68...9004 with `maxFrame` 9018).
    public var mtu: Int
    /// How long a partial record from the device may wait for its remaining bytes (the firmware's 1 s).
    public var partialRecordTimeout: Duration
    public var backoff: ReconnectBackoff
    /// How long one connection attempt may take, so a stop request is never stuck behind a dead host.
    public var connectTimeout: Duration
    /// Let the device's IPv6 Router Advertisements configure the host interface (routes, addresses). Off: a
    /// device under test must not change the host's routing.
    public var acceptRouterAdvertisements = false
    /// `--allow-foreign-device`: connect even when the device port is served by another user's socket (see
    /// `DeviceOwnerCheck`). Off: a port squatted by another local user never receives the host's traffic.
    public var allowForeignDevice = false
    /// `--mac`: the interface's MAC (tap), and the source of the Ethernet headers a tun bridge adds. The seed's
    /// 02:00:00:00:00:01 is the device's static gateway entry; a second bridge (a soft-AP's station on `tun1`)
    /// takes another, so the device's events name each interface.
    public var hostMAC = MACAddress.host

    public static let mtuRange = mtuRange(maxFrame: WireFormat.maxFrameLength)

    /// MTUs whose frames (MTU + 14) fit a `maxFrame`-byte limit.
    public static func mtuRange(maxFrame: Int) -> ClosedRange<Int> { 68...(maxFrame - EthernetFrame.headerLength) }

    /// Where the device is, for logs: `127.0.0.1:5556` or `/dev/ttyUSB0 921600 8N1`.
    public var deviceName: String {
        serial.map { "\($0.path) \($0.settings)" } ?? unixSocket.map { "unix:\($0)" } ?? device.description
    }

    public init(
        device: SocketAddress = SocketAddress(host: "127.0.0.1", port: 5556),
        interfaceName: InterfaceName = try! InterfaceName(validating: "tun0"),
        mode: TunTapDevice.Mode = .tap,
        address: InterfaceAddress = InterfaceAddress(address: .gateway, prefixLength: 24),
        mtu: Int = 1500,
        partialRecordTimeout: Duration = .seconds(1),
        backoff: ReconnectBackoff = ReconnectBackoff(),
        connectTimeout: Duration = .seconds(2)
    ) {
        self.device = device
        self.interfaceName = interfaceName
        self.mode = mode
        self.address = address
        self.mtu = mtu
        self.partialRecordTimeout = partialRecordTimeout
        self.backoff = backoff
        self.connectTimeout = connectTimeout
    }

    /// The largest frame the bridge sends to the device.
    public var maxFrameToDevice: Int { mtu + EthernetFrame.headerLength }
}

/// A serial port the bridge opens as its device (`--serial PATH --baud N --frame 8N1 --flow none|rtscts`).
public struct SerialLine: Sendable, Equatable {
    public var path: String
    public var settings: SerialPort.Settings

    public init(path: String, settings: SerialPort.Settings) {
        self.path = path
        self.settings = settings
    }
}
