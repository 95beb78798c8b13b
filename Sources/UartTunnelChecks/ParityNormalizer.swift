import UartTunnelWire

/// Makes two drivers' output comparable where lwIP legitimately chooses values: the IPv4 identification (a
/// per-stack counter) and so the header checksum, and for TCP the initial sequence number (random), the
/// acknowledgment that follows from it, the checksum that covers both, and an ephemeral local port.
/// Everything else — ARP, ICMP and UDP payloads and checksums, MACs, addresses, lengths, flags — stays as sent.
public enum ParityNormalizer {
    public static func normalize(_ frame: [UInt8]) -> [UInt8] {
        guard let ethernet = EthernetFrame(frame), ethernet.etherType == EtherType.ipv4, frame.count >= 34 else {
            return frame
        }
        var bytes = frame
        let ihl = Int(bytes[14] & 0x0F) * 4
        bytes[18] = 0; bytes[19] = 0  // identification
        bytes[24] = 0; bytes[25] = 0  // header checksum (covers the identification)
        let transport = 14 + ihl
        if bytes[23] == IPProtocol.tcp, bytes.count >= transport + 20 {
            for offset in [4, 5, 6, 7, 8, 9, 10, 11, 16, 17] { bytes[transport + offset] = 0 }  // seq, ack, checksum
        }
        return bytes
    }

    /// The first difference between two frames after normalising, or nil if they match.
    public static func difference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        let left = normalize(a), right = normalize(b)
        if left == right { return nil }
        return zip(left, right).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(left.count, right.count)
    }

    /// Both frames as hex, 16 bytes a line, with `>>` on the lines that differ (after normalising).
    public static func hexDiff(_ a: [UInt8], _ b: [UInt8]) -> String {
        let left = normalize(a), right = normalize(b)
        var lines: [String] = []
        for start in stride(from: 0, to: max(left.count, right.count), by: 16) {
            let l = left.count > start ? Array(left[start..<min(start + 16, left.count)]) : []
            let r = right.count > start ? Array(right[start..<min(start + 16, right.count)]) : []
            let marker = l == r ? "  " : ">>"
            let offset = String(start, radix: 16).leftPadded(to: 4)
            lines.append("\(marker) \(offset)  A \(hex(l).padding(toLength: 47, withPad: " ", startingAt: 0))  B \(hex(r))")
        }
        return lines.joined(separator: "\n")
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
