/// ICMP, UDP and TCP on top of ``PacketBuilder/ipv4(srcMAC:dstMAC:srcIP:dstIP:protocol:payload:ipID:ttl:)``.
extension PacketBuilder {
    /// 56 data bytes, as `ping` sends by default: a 98-byte frame, 100 bytes on the wire.
    public static let defaultPingPayload: [UInt8] = (0..<56).map { UInt8($0) }

    /// An ICMP echo request (what `ping` sends).
    public static func icmpEchoRequest(
        srcMAC: MACAddress = .host, dstMAC: MACAddress = .device,
        srcIP: IPv4Address = .gateway, dstIP: IPv4Address = .device,
        identifier: UInt16 = 1, sequence: UInt16 = 1, payload: [UInt8] = defaultPingPayload,
        ipID: UInt16 = 0, ttl: UInt8 = 64
    ) -> [UInt8] {
        let message = icmpEcho(type: ICMPEcho.requestType, identifier: identifier, sequence: sequence, payload: payload)
        return ipv4(
            srcMAC: srcMAC, dstMAC: dstMAC, srcIP: srcIP, dstIP: dstIP,
            protocol: IPProtocol.icmp, payload: message, ipID: ipID, ttl: ttl)
    }

    /// An ICMP echo reply; defaults describe the device answering the host.
    public static func icmpEchoReply(
        srcMAC: MACAddress = .device, dstMAC: MACAddress = .host,
        srcIP: IPv4Address = .device, dstIP: IPv4Address = .gateway,
        identifier: UInt16 = 1, sequence: UInt16 = 1, payload: [UInt8] = defaultPingPayload,
        ipID: UInt16 = 0, ttl: UInt8 = 64
    ) -> [UInt8] {
        let message = icmpEcho(type: ICMPEcho.replyType, identifier: identifier, sequence: sequence, payload: payload)
        return ipv4(
            srcMAC: srcMAC, dstMAC: dstMAC, srcIP: srcIP, dstIP: dstIP,
            protocol: IPProtocol.icmp, payload: message, ipID: ipID, ttl: ttl)
    }

    /// A UDP datagram whose checksum covers the IPv4 pseudo-header.
    public static func udp(
        srcMAC: MACAddress = .host, dstMAC: MACAddress = .device,
        srcIP: IPv4Address = .gateway, dstIP: IPv4Address = .device,
        srcPort: UInt16, dstPort: UInt16, payload: [UInt8] = [], ipID: UInt16 = 0
    ) -> [UInt8] {
        let length = UDPDatagram.headerLength + payload.count
        var datagram: [UInt8] = []
        datagram.reserveCapacity(length)
        datagram.appendBigEndian(srcPort)
        datagram.appendBigEndian(dstPort)
        datagram.appendBigEndian(UInt16(truncatingIfNeeded: length))
        datagram.appendBigEndian(UInt16(0))
        datagram += payload
        var checksum = transportChecksum(datagram, source: srcIP, destination: dstIP, protocol: IPProtocol.udp)
        if checksum == 0 { checksum = 0xFFFF }  // 0 would mean "no checksum" (RFC 768)
        datagram[6] = UInt8(truncatingIfNeeded: checksum >> 8)
        datagram[7] = UInt8(truncatingIfNeeded: checksum)
        return ipv4(
            srcMAC: srcMAC, dstMAC: dstMAC, srcIP: srcIP, dstIP: dstIP,
            protocol: IPProtocol.udp, payload: datagram, ipID: ipID)
    }

    /// A TCP segment with a 20-byte header (no options) and a correct checksum.
    public static func tcp(
        srcMAC: MACAddress = .host, dstMAC: MACAddress = .device,
        srcIP: IPv4Address = .gateway, dstIP: IPv4Address = .device,
        srcPort: UInt16, dstPort: UInt16, sequence: UInt32 = 0, acknowledgment: UInt32 = 0,
        flags: TCPFlags, window: UInt16 = 65535, payload: [UInt8] = [], ipID: UInt16 = 0
    ) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(TCPSegment.minimumHeaderLength + payload.count)
        segment.appendBigEndian(srcPort)
        segment.appendBigEndian(dstPort)
        segment.appendBigEndian(sequence)
        segment.appendBigEndian(acknowledgment)
        segment.append(UInt8(TCPSegment.minimumHeaderLength / 4) << 4)
        segment.append(flags.rawValue)
        segment.appendBigEndian(window)
        segment.appendBigEndian(UInt16(0))  // checksum, filled in below
        segment.appendBigEndian(UInt16(0))  // urgent pointer
        segment += payload
        let checksum = transportChecksum(segment, source: srcIP, destination: dstIP, protocol: IPProtocol.tcp)
        segment[16] = UInt8(truncatingIfNeeded: checksum >> 8)
        segment[17] = UInt8(truncatingIfNeeded: checksum)
        return ipv4(
            srcMAC: srcMAC, dstMAC: dstMAC, srcIP: srcIP, dstIP: dstIP,
            protocol: IPProtocol.tcp, payload: segment, ipID: ipID)
    }

    // MARK: - Private

    private static func icmpEcho(type: UInt8, identifier: UInt16, sequence: UInt16, payload: [UInt8]) -> [UInt8] {
        var message: [UInt8] = [type, 0, 0, 0]
        message.appendBigEndian(identifier)
        message.appendBigEndian(sequence)
        message += payload
        let checksum = InternetChecksum.compute(message)
        message[2] = UInt8(truncatingIfNeeded: checksum >> 8)
        message[3] = UInt8(truncatingIfNeeded: checksum)
        return message
    }

    private static func transportChecksum(
        _ segment: [UInt8], source: IPv4Address, destination: IPv4Address, protocol proto: UInt8
    ) -> UInt16 {
        let pseudo = InternetChecksum.pseudoHeaderSum(
            source: source, destination: destination, protocol: proto, length: segment.count)
        return InternetChecksum.finish(InternetChecksum.sum(segment, initial: pseudo))
    }
}
