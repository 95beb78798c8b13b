import UartTunnelWire

/// The smallest device a bridge can be tested against: it answers ARP for its address and ICMP echo requests
/// to it, at once, so any delay a check measures belongs to the bridge.
public enum EchoResponder {
    public static func reply(to frame: [UInt8], address: IPv4Address = .device, mac: MACAddress = .device) -> [UInt8]? {
        guard let ethernet = EthernetFrame(frame) else { return nil }
        switch ethernet.etherType {
        case EtherType.arp:
            guard let arp = ARPPacket(ethernet.payload), arp.operation == ARPPacket.request, arp.targetIP == address
            else { return nil }
            return PacketBuilder.arpReply(senderMAC: mac, senderIP: address, targetMAC: arp.senderMAC,
                                          targetIP: arp.senderIP)
        case EtherType.ipv4:
            guard let ip = IPv4Packet(ethernet.payload), ip.destination == address, ip.protocol == IPProtocol.icmp,
                  let echo = ICMPEcho(ip.payload), echo.isRequest else { return nil }
            return PacketBuilder.icmpEchoReply(srcMAC: mac, dstMAC: ethernet.source, srcIP: address, dstIP: ip.source,
                                               identifier: echo.identifier, sequence: echo.sequence,
                                               payload: Array(echo.payload), ipID: ip.identification)
        default:
            return nil
        }
    }
}
