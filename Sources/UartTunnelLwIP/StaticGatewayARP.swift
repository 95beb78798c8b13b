import UartTunnelWire

/// Static ARP semantics for the gateway on a liblwip built without `ETHARP_SUPPORT_STATIC_ENTRIES`.
///
/// The firmware calls `etharp_add_static_entry(gw, host_mac)`, so it never asks the wire who the gateway is.
/// Here the table is seeded with a reply at link-up, and any ARP request for the gateway that lwIP still
/// emits (first use, the re-request at 270 s, or after the entry aged out at ARP_MAXAGE 300 s) is caught in
/// linkoutput and answered with the same reply through `netif->input` — queued to tcpip_thread, never a
/// re-entrant `etharp_input`. The wire sees exactly what the firmware's wire sees: no such request.
///
/// ARP request as it leaves lwIP (offsets in the Ethernet frame):
/// ```
///  0      6      12   14   16   18 19 20   22        28        32        38        42
///  [dst 6][src 6][0806][0001][0800][6][4][0001][sha 6][spa 4][tha 6][tpa 4]
///                                        oper=request               target IP ──┘
/// ```
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

    /// True for an ARP request (broadcast or unicast) whose target protocol address is the gateway.
    public func isRequestForGateway(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard frame.count >= 42, frame[12] == 0x08, frame[13] == 0x06, frame[20] == 0x00, frame[21] == 0x01
        else { return false }
        let target = gateway.bytes
        return frame[38] == target[0] && frame[39] == target[1] && frame[40] == target[2] && frame[41] == target[3]
    }

    /// The reply the gateway would send: "gateway is-at host MAC", addressed to the device.
    public var reply: [UInt8] {
        PacketBuilder.arpReply(senderMAC: gatewayMAC, senderIP: gateway, targetMAC: deviceMAC, targetIP: device)
    }
}
