import CUartTunnelWire

/// Builds complete Ethernet frames, ready for ``RecordEncoder``, so tests and checks can
/// inject real packets. Defaults describe traffic from the host (02:00:00:00:00:01,
/// 192.168.100.1) to the device (02:00:00:00:00:02, 192.168.100.2). Frames are not padded
/// to Ethernet's 60-byte minimum: a tun/tap device does not pad either.
public enum PacketBuilder {
    /// `[destination 6][source 6][etherType 2][payload]`.
    public static func ethernet(
        destination: MACAddress = .device, source: MACAddress = .host,
        etherType: UInt16, payload: some Collection<UInt8>
    ) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(EthernetFrame.headerLength + payload.count)
        frame += destination.bytes
        frame += source.bytes
        frame.appendBigEndian(etherType)
        frame += payload
        return frame
    }

    /// A broadcast "who-has `targetIP` tell `senderIP`".
    public static func arpRequest(
        senderMAC: MACAddress = .host, senderIP: IPv4Address = .gateway, targetIP: IPv4Address = .device
    ) -> [UInt8] {
        let arp = ARPPacket(
            operation: ARPPacket.request, senderMAC: senderMAC, senderIP: senderIP,
            targetMAC: .zero, targetIP: targetIP)
        return ethernet(destination: .broadcast, source: senderMAC, etherType: EtherType.arp, payload: arp.bytes)
    }

    /// A unicast "`senderIP` is-at `senderMAC`", sent to `targetMAC` (42 bytes): what the gateway would send, and
    /// what static ARP for the gateway feeds the device. Built by `CUartTunnelWire_arpReply`, which the ESP-IDF host
    /// layer's static ARP uses too.
    public static func arpReply(
        senderMAC: MACAddress = .host, senderIP: IPv4Address = .gateway,
        targetMAC: MACAddress = .device, targetIP: IPv4Address = .device
    ) -> [UInt8] {
        let length = Int(CUartTunnelWire_ARP_FRAME)
        return [UInt8](unsafeUninitializedCapacity: length) { frame, count in
            CUartTunnelWire_arpReply(frame.baseAddress!, senderMAC.bytes, senderIP.bytes, targetMAC.bytes, targetIP.bytes)
            count = length
        }
    }

    /// An IPv4 packet with a 20-byte header (no options, DF clear) and a correct header
    /// checksum, in an Ethernet frame.
    public static func ipv4(
        srcMAC: MACAddress = .host, dstMAC: MACAddress = .device,
        srcIP: IPv4Address = .gateway, dstIP: IPv4Address = .device,
        protocol proto: UInt8, payload: some Collection<UInt8>, ipID: UInt16 = 0, ttl: UInt8 = 64
    ) -> [UInt8] {
        var packet: [UInt8] = []
        packet.reserveCapacity(20 + payload.count)
        packet.append(0x45)  // version 4, IHL 5
        packet.append(0)  // DSCP/ECN
        packet.appendBigEndian(UInt16(truncatingIfNeeded: 20 + payload.count))
        packet.appendBigEndian(ipID)
        packet.appendBigEndian(UInt16(0))  // flags and fragment offset
        packet.append(ttl)
        packet.append(proto)
        packet.appendBigEndian(UInt16(0))  // checksum, filled in below
        packet += srcIP.bytes
        packet += dstIP.bytes
        let checksum = InternetChecksum.compute(packet)
        packet[10] = UInt8(truncatingIfNeeded: checksum >> 8)
        packet[11] = UInt8(truncatingIfNeeded: checksum)
        packet += payload
        return ethernet(destination: dstMAC, source: srcMAC, etherType: EtherType.ipv4, payload: packet)
    }
}
