import UartTunnelSystem
import UartTunnelWire

/// Everything `uart-tunnel bridge` takes on its command line. Defaults are the seed's setup.
public struct BridgeConfiguration: Sendable {
    /// The device's TCP endpoint: QEMU's UART1 chardev server, or `uart-tunnel device`.
    public var device: SocketAddress
    public var interfaceName: InterfaceName
    public var mode: TunTapDevice.Mode
    public var address: InterfaceAddress
    /// The interface MTU. A frame to the device may be at most MTU + 14 bytes, and the wire allows 1518, so
    /// 68...1504.
    public var mtu: Int
    /// How long a partial record from the device may wait for its remaining bytes (the firmware's 1 s).
    public var partialRecordTimeout: Duration
    public var backoff: ReconnectBackoff
    /// How long one connection attempt may take, so a stop request is never stuck behind a dead host.
    public var connectTimeout: Duration
    /// Let the device's IPv6 Router Advertisements configure the host interface (routes, addresses). Off: a
    /// device under test must not change the host's routing.
    public var acceptRouterAdvertisements = false

    public static let mtuRange = 68...(WireFormat.maxFrameLength - EthernetFrame.headerLength)

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
