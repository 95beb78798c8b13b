import CUartTunnelWire

/// A read-only view of an Ethernet/IPv4 ARP packet.
///
/// ```
///  0        2        4    5    6        8
///  +--------+--------+----+----+--------+
///  | htype 1| ptype  |hlen|plen| oper   |   htype 1 = Ethernet, ptype 0x0800
///  +--------+--------+----+----+--------+
///  8            14          18           24          28
///  +------------+-----------+------------+-----------+
///  | sender MAC | sender IP | target MAC | target IP |
///  +------------+-----------+------------+-----------+
/// ```
public struct ARPPacket: Hashable, Sendable {
    public static let request: UInt16 = 1
    public static let reply: UInt16 = 2
    /// Bytes of an Ethernet/IPv4 ARP packet, without Ethernet padding.
    public static let length = Int(CUartTunnelWire_ARP_PACKET)

    public let operation: UInt16
    public let senderMAC: MACAddress
    public let senderIP: IPv4Address
    public let targetMAC: MACAddress
    public let targetIP: IPv4Address

    public init(
        operation: UInt16, senderMAC: MACAddress, senderIP: IPv4Address,
        targetMAC: MACAddress, targetIP: IPv4Address
    ) {
        self.operation = operation
        self.senderMAC = senderMAC
        self.senderIP = senderIP
        self.targetMAC = targetMAC
        self.targetIP = targetIP
    }

    /// Nil unless the bytes hold a complete Ethernet/IPv4 ARP packet.
    public init?(_ payload: some Collection<UInt8>) {
        let bytes = Array(payload)[...]
        guard bytes.count >= Self.length, bytes.u16(at: 0) == 1, bytes.u16(at: 2) == EtherType.ipv4,
            bytes.u8(at: 4) == 6, bytes.u8(at: 5) == 4
        else { return nil }
        operation = bytes.u16(at: 6)!
        senderMAC = MACAddress(bytes: bytes.bytes(at: 8, length: 6)!)!
        senderIP = IPv4Address(value: bytes.u32(at: 14)!)
        targetMAC = MACAddress(bytes: bytes.bytes(at: 18, length: 6)!)!
        targetIP = IPv4Address(value: bytes.u32(at: 24)!)
    }

    /// The 28 bytes on the wire, laid out by `CUartTunnelWire_putARP` (the ESP-IDF host layer's static ARP uses it too).
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.length) { out, count in
            CUartTunnelWire_putARP(
                out.baseAddress!, operation, senderMAC.bytes, senderIP.bytes, targetMAC.bytes, targetIP.bytes)
            count = Self.length
        }
    }
}
