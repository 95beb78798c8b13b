/// A one-line, tcpdump-like description of an Ethernet frame, for logs, reports and test
/// failure messages:
///
/// ```
///  ARP request who-has 192.168.100.1 tell 192.168.100.2
///  ARP reply 192.168.100.2 is-at 02:00:00:00:00:02
///  IPv4 192.168.100.1 > 192.168.100.2 ICMP echo request id=1 seq=3
///  IPv4 192.168.100.2 > 192.168.100.1 TCP 80 > 51234 [S.] len=0
///  IPv4 192.168.100.1 > 192.168.100.2 UDP 5000 > 7 len=12
///  IPv6 fe80::1 > ff02::1:ff00:2 ICMPv6 type 135
///  EtherType 0x88b5 (unknown), 60 bytes
/// ```
///
/// It never traps: truncated or garbage frames get a line saying so.
public struct FrameSummary: Sendable, CustomStringConvertible {
    /// Bytes in the frame.
    public let length: Int
    /// The frame's EtherType, nil for a frame shorter than an Ethernet header.
    public let etherType: UInt16?
    /// The one-line description.
    public let text: String

    public init(_ frame: [UInt8]) {
        length = frame.count
        guard let ethernet = EthernetFrame(frame) else {
            etherType = nil
            text = "runt frame, \(frame.count) bytes"
            return
        }
        etherType = ethernet.etherType
        switch ethernet.etherType {
        case EtherType.arp: text = Self.arp(ethernet.payload)
        case EtherType.ipv4: text = Self.ipv4(ethernet.payload)
        case EtherType.ipv6: text = Self.ipv6(ethernet.payload)
        default: text = "EtherType 0x\(Self.hex(ethernet.etherType)) (unknown), \(frame.count) bytes"
        }
    }

    public var description: String { text }

    // MARK: - Per protocol

    private static func arp(_ payload: ArraySlice<UInt8>) -> String {
        guard let arp = ARPPacket(payload) else { return "ARP malformed, \(payload.count) bytes" }
        switch arp.operation {
        case ARPPacket.request:
            let gratuitous = arp.senderIP == arp.targetIP ? " (gratuitous)" : ""
            return "ARP request who-has \(arp.targetIP) tell \(arp.senderIP)\(gratuitous)"
        case ARPPacket.reply:
            return "ARP reply \(arp.senderIP) is-at \(arp.senderMAC)"
        default:
            return "ARP operation \(arp.operation) \(arp.senderIP) > \(arp.targetIP)"
        }
    }

    private static func ipv4(_ payload: ArraySlice<UInt8>) -> String {
        guard let packet = IPv4Packet(payload) else { return "IPv4 malformed, \(payload.count) bytes" }
        var line = "IPv4 \(packet.source) > \(packet.destination) "
        if packet.fragmentOffset != 0 {
            line += "fragment offset=\(packet.fragmentOffset) proto \(packet.protocol) len=\(packet.payload.count)"
        } else if packet.protocol == IPProtocol.icmp {
            line += icmp(packet.payload)
        } else {
            line += transport(packet.protocol, packet.payload)
        }
        if !packet.headerChecksumValid { line += " (bad header checksum)" }
        if packet.isTruncated { line += " (truncated)" }
        return line
    }

    private static func ipv6(_ payload: ArraySlice<UInt8>) -> String {
        guard payload.count >= 40, let first = payload.u8(at: 0), first >> 4 == 6,
            let nextHeader = payload.u8(at: 6)
        else { return "IPv6 malformed, \(payload.count) bytes" }
        let source = IPv6Text.format(payload.bytes(at: 8, length: 16)!)
        let destination = IPv6Text.format(payload.bytes(at: 24, length: 16)!)
        let body = payload.tail(from: 40)
        let rest: String
        if nextHeader == IPProtocol.icmpv6 {
            rest = body.u8(at: 0).map { "ICMPv6 type \($0)" } ?? "ICMPv6 truncated"
        } else {
            rest = transport(nextHeader, body)
        }
        return "IPv6 \(source) > \(destination) \(rest)"
    }

    private static func icmp(_ message: ArraySlice<UInt8>) -> String {
        if let echo = ICMPEcho(message) {
            let kind = echo.isRequest ? "request" : "reply"
            return "ICMP echo \(kind) id=\(echo.identifier) seq=\(echo.sequence)"
        }
        guard let type = message.u8(at: 0), let code = message.u8(at: 1) else { return "ICMP truncated" }
        return "ICMP type \(type) code \(code)"
    }

    private static func transport(_ proto: UInt8, _ body: ArraySlice<UInt8>) -> String {
        switch proto {
        case IPProtocol.tcp:
            guard let tcp = TCPSegment(body) else { return "TCP truncated, \(body.count) bytes" }
            return "TCP \(tcp.sourcePort) > \(tcp.destinationPort) \(tcp.flags) len=\(tcp.payload.count)"
        case IPProtocol.udp:
            guard let udp = UDPDatagram(body) else { return "UDP truncated, \(body.count) bytes" }
            return "UDP \(udp.sourcePort) > \(udp.destinationPort) len=\(udp.payload.count)"
        default:
            return "proto \(proto) len=\(body.count)"
        }
    }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// One line describing `frame`; see ``FrameSummary``.
public func describe(frame: [UInt8]) -> String {
    FrameSummary(frame).text
}
