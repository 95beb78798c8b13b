import UartTunnelWire

/// Static ARP semantics for the gateway on a liblwip built without `ETHARP_SUPPORT_STATIC_ENTRIES`.
///
/// The firmware calls `etharp_add_static_entry(gw, host_mac)`, so it never asks the wire who the gateway is.
/// Here the table is seeded with a reply at link-up, and any ARP request for the gateway that lwIP still
/// emits (first use, the re-request at 270 s, or after the entry aged out at ARP_MAXAGE 300 s) is caught in
/// linkoutput and answered with the same reply through `netif->input` — queued to tcpip_thread, never a
/// re-entrant `etharp_input`. The wire sees exactly what the firmware's wire sees: no such request.
///
/// Which frames are such requests is ``GatewayARP`` (UartTunnelWire), and the reply is ``PacketBuilder/arpReply``:
/// the wire rules both drivers share. This type holds the addresses they are applied to.
public struct StaticGatewayARP: Sendable {
    public let gateway: IPv4Address
    public let gatewayMAC: MACAddress
    public let device: IPv4Address
    public let deviceMAC: MACAddress

    public init(configuration: TunnelConfiguration) {
        gateway = configuration.gateway
        gatewayMAC = configuration.hostMAC
        device = configuration.address
        deviceMAC = configuration.deviceMAC
    }

    /// The reply the gateway would send: "gateway is-at host MAC", addressed to the device.
    public var reply: [UInt8] {
        PacketBuilder.arpReply(senderMAC: gatewayMAC, senderIP: gateway, targetMAC: deviceMAC, targetIP: device)
    }
}
