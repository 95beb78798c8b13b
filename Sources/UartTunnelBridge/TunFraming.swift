import UartTunnelSystem
import UartTunnelWire

/// Converts between what the interface carries and what the device expects. Pure: no I/O, so every rule can be
/// unit tested with bytes.
///
/// ```
///  tap:  kernel [dst][src][type][payload]  <=>  device [dst][src][type][payload]   (unchanged)
///  tun:  kernel            [IP packet]      =>  device [02:..:02][02:..:01][type][IP packet]
///                                                       type from the version nibble: 4 -> 0x0800, 6 -> 0x86DD
///        kernel            [IP packet]     <=   device [dst][src][0x0800|0x86DD][IP packet]
///        (ARP request from the device)      ->  ARP reply from 02:..:01, back to the device
/// ```
public struct TunFraming: Sendable {
    public let mode: TunTapDevice.Mode
    /// In tun mode, the subnet whose addresses the bridge claims in ARP replies (the kernel has no ARP on TUN).
    public let subnet: InterfaceAddress
    public let hostMAC: MACAddress
    public let deviceMAC: MACAddress

    public init(mode: TunTapDevice.Mode, subnet: InterfaceAddress, hostMAC: MACAddress = .host, deviceMAC: MACAddress = .device) {
        self.mode = mode
        self.subnet = subnet
        self.hostMAC = hostMAC
        self.deviceMAC = deviceMAC
    }

    /// What to do with one frame that came from the device.
    public enum FromDevice: Equatable, Sendable {
        /// Write these bytes to the interface.
        case deliver([UInt8])
        /// Send this frame back to the device (an ARP reply), without bothering the kernel.
        case reply([UInt8])
        /// An ARP packet the bridge does not answer: a reply, a gratuitous announcement, or a request for an
        /// address outside the subnet.
        case ignoreARP
        /// Neither IPv4, IPv6 nor ARP: a TUN device can not carry it.
        case dropNonIP(etherType: UInt16)
    }

    public func fromDevice(_ frame: [UInt8]) -> FromDevice {
        if mode == .tap { return .deliver(frame) }
        guard let ethernet = EthernetFrame(frame) else { return .dropNonIP(etherType: 0) }
        switch ethernet.etherType {
        case EtherType.ipv4, EtherType.ipv6:
            return .deliver(Array(ethernet.payload))
        case EtherType.arp:
            return arpReply(to: ethernet).map(FromDevice.reply) ?? .ignoreARP
        default:
            return .dropNonIP(etherType: ethernet.etherType)
        }
    }

    /// The frame for the device carrying `packet` read from the interface; nil in tun mode when the packet is
    /// neither IPv4 nor IPv6 (empty, or an unknown version nibble).
    public func toDevice(_ packet: [UInt8]) -> [UInt8]? {
        if mode == .tap { return packet }
        let etherType: UInt16
        switch packet.first.map({ $0 >> 4 }) {
        case 4: etherType = EtherType.ipv4
        case 6: etherType = EtherType.ipv6
        default: return nil
        }
        return PacketBuilder.ethernet(destination: deviceMAC, source: hostMAC, etherType: etherType, payload: packet)
    }

    /// "who-has T tell S" from the device, T on the subnet and not S itself (lwIP announces its own address
    /// with a gratuitous request at link up): answer "T is-at host MAC", so everything routes via the kernel.
    func arpReply(to ethernet: EthernetFrame) -> [UInt8]? {
        guard let arp = ARPPacket(ethernet.payload), arp.operation == ARPPacket.request,
              arp.targetIP != arp.senderIP, subnet.contains(arp.targetIP)
        else { return nil }
        return PacketBuilder.arpReply(senderMAC: hostMAC, senderIP: arp.targetIP, targetMAC: arp.senderMAC, targetIP: arp.senderIP)
    }
}
