/// RFC 5952 text for a 16-byte IPv6 address (`fe80::1`, `ff02::1:ff00:2`), for reports.
/// The wire layer has no other use for IPv6, so this is not a full address type.
enum IPv6Text {
    static func format(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.count == 16 else { return "?" }
        let groups: [UInt16] = (0..<8).map { bytes.u16(at: $0 * 2)! }
        // The longest run of two or more zero groups (the first on a tie) becomes "::".
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > best.length, end - index >= 2 { best = (index, end - index) }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[0..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
