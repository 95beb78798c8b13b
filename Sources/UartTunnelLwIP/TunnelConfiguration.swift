import UartTunnelWire

/// Addresses of the tunnel netif. Defaults are the seed's: device 192.168.100.2/24 behind gateway (the host's
/// tun0) 192.168.100.1, locally administered static MACs.
public struct TunnelConfiguration: Sendable, Equatable {
    public var address: IPv4Address = .device
    public var netmask: IPv4Address = .netmask
    public var gateway: IPv4Address = .gateway
    public var deviceMAC: MACAddress = .device
    /// The gateway's MAC: the static ARP entry points here.
    public var hostMAC: MACAddress = .host
    public var mtu: UInt16 = 1500
    /// `--max-frame`: the longest frame the netif sends or takes (1518; 9018 for jumbo frames). Setting it sets
    /// the MTU that fills it (1500; 9000), as the firmware's lwIP MTU follows CONFIG_UART_TUNNEL_MAX_FRAME.
    public var maxFrame = WireFormat.maxFrameLength {
        didSet { mtu = UInt16(WireFormat.mtu(forMaxFrame: maxFrame)) }
    }
    /// lwIP's two-letter interface name; "ut" for UART tunnel.
    public var name: String = "ut"

    public init() {}

    public init(address: IPv4Address, netmask: IPv4Address, gateway: IPv4Address,
                deviceMAC: MACAddress, hostMAC: MACAddress) {
        self.address = address
        self.netmask = netmask
        self.gateway = gateway
        self.deviceMAC = deviceMAC
        self.hostMAC = hostMAC
    }
}
