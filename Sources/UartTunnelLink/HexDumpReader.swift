/// Reads the hex text that people save instead of bytes: `od -An -tx1`, `od -A x -t x1z -v` (view_uart1.sh
/// --direct), `hexdump -C`, `xxd`, `xxd -p`, and `tcpdump -X`/`-x`/`-XX` (view_uart1.sh without arguments, which
/// sniffs the tunnel's TCP port on loopback). The first kinds are one direction with no timing; tcpdump's has both
/// directions (told apart by the device's TCP port) and each packet's time of day, so `decode` sees timeouts too.
///
/// Bytes are read in the order printed, so grouped words must be big-endian as xxd and tcpdump print them (od's
/// `-tx2`/`-tx4` print host-order words and are refused). A squeezed line (`*`, od and hexdump without -v) is
/// expanded from the offsets around it. Any line that fits no layout is an error naming it.
public struct HexDumpReader {
    public struct Packet: Sendable, Equatable {
        /// ns since midnight as tcpdump printed it (0 when it printed none).
        public var timestamp: Int64
        public var direction: LinkDirection
        public var payload: [UInt8]
    }

    /// `xxd`, `od`, … or `tcpdump`.
    public private(set) var layout = ""
    /// One direction's bytes (every layout but tcpdump's).
    public private(set) var bytes: [UInt8] = []
    /// tcpdump's packets, as TCP payload of the device's connection.
    public private(set) var packets: [Packet] = []
    /// Things the reader worked around (repeated TCP bytes skipped, gaps).
    public private(set) var notes: [String] = []

    static let maximumBytes = 256 * 1024 * 1024

    /// Printable ASCII, tabs and line ends only, and some of it not blank.
    public static func isText(_ data: [UInt8]) -> Bool {
        !data.isEmpty && data.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            && data.contains { $0 > 0x20 }
    }

    /// `devicePort`: the device's UART TCP port, to tell tcpdump's directions apart.
    public init(text: [UInt8], devicePort: UInt16 = 5556) throws(RawCaptureFormat.FormatError) {
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self)
        }
        guard let first = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            throw Self.error(nil, "", "no hex dump lines")
        }
        if lines.contains(where: { $0.trimmingLeadingSpace.hasPrefix("0x") && Self.offsetToken($0.trimmingLeadingSpace) != nil }) {
            try readTcpdump(lines, devicePort: devicePort)
        } else {
            try readDump(lines, from: first)
        }
    }

    // MARK: od, hexdump, xxd

    private mutating func readDump(_ lines: [String], from first: Int) throws(RawCaptureFormat.FormatError) {
        var offsets: [(line: Int, text: Substring, count: Int)] = []  // each offset with the bytes before it
        var lastLine: [UInt8] = []
        var squeezedAt: Int?
        for index in first..<lines.count {
            let line = lines[index].trimmingLeadingSpace
            if line.isEmpty { continue }
            if line == "*" {
                guard !lastLine.isEmpty else { throw Self.error(index, line, "'*' before any bytes") }
                squeezedAt = index
                continue
            }
            let parsed = try Self.dumpLine(line, number: index, offsetLayout: layout.isEmpty ? nil : layout != "od -An / xxd -p")
            if layout.isEmpty { layout = parsed.offset == nil ? "od -An / xxd -p" : parsed.layout }
            if let offset = parsed.offset {
                if let squeezedAt {
                    try expandSqueeze(at: squeezedAt, to: offset, line: index, offsets: offsets, repeating: lastLine)
                }
                offsets.append((index, offset, bytes.count))
            } else if squeezedAt != nil {
                throw Self.error(index, line, "a squeezed line ('*') needs offsets to be expanded: re-run with -v")
            }
            squeezedAt = nil
            if !parsed.bytes.isEmpty { lastLine = parsed.bytes }
            bytes += parsed.bytes
            guard bytes.count <= Self.maximumBytes else { throw Self.error(index, line, "more than 256 MiB of bytes") }
        }
        if let squeezedAt { throw Self.error(squeezedAt, "*", "the dump ends in a squeezed line ('*'): re-run with -v") }
        // Offsets that disagree with the byte count mean lost or edited lines: say where.
        if !offsets.isEmpty, Self.radix(offsets) == nil {
            let bad = offsets.first { UInt64($0.text, radix: 16) != UInt64($0.count) } ?? offsets[0]
            throw Self.error(bad.line, bad.text, "offset \(bad.text) but \(bad.count) bytes before it: lines missing or edited")
        }
    }

    /// The radix in which every offset equals the bytes before it: od's 7-digit offsets are octal by default,
    /// xxd's, hexdump's and `od -A x`'s hex; `od -A d`'s decimal is tried last.
    static func radix(_ offsets: [(line: Int, text: Substring, count: Int)]) -> Int? {
        let guess = offsets.first?.text.count == 7 ? 8 : 16
        return [guess, 16, 8, 10].first { radix in offsets.allSatisfy { UInt64($0.text, radix: radix) == UInt64($0.count) } }
    }

    private mutating func expandSqueeze(at star: Int, to offset: Substring, line: Int,
                                        offsets: [(line: Int, text: Substring, count: Int)],
                                        repeating last: [UInt8]) throws(RawCaptureFormat.FormatError) {
        guard let radix = Self.radix(offsets), let target = UInt64(offset, radix: radix) else {
            throw Self.error(star, "*", "cannot tell the offsets' radix to expand the squeezed line: re-run with -v")
        }
        let missing = target >= UInt64(bytes.count) ? target - UInt64(bytes.count) : UInt64.max
        guard missing % UInt64(last.count) == 0, missing <= UInt64(Self.maximumBytes - bytes.count) else {
            throw Self.error(line, offset, "offset \(offset) does not continue the squeezed line before it")
        }
        for _ in 0..<(Int(missing) / last.count) { bytes += last }
    }

    /// One line of od/hexdump/xxd: its offset (nil for od -An and xxd -p) and bytes.
    static func dumpLine(_ line: Substring, number: Int, offsetLayout: Bool?)
        throws(RawCaptureFormat.FormatError) -> (offset: Substring?, bytes: [UInt8], layout: String) {
        // xxd: "00000010: 0800 4500  ..E." — the hex ends at the double space before the ASCII column.
        if let offset = offsetToken(line) {
            let rest = line.dropFirst(offset.count + 1).trimmingLeadingSpace
            let hex = rest.range(of: "  ").map { rest[..<$0.lowerBound] } ?? rest
            return (offset.hasPrefix("0x") ? offset.dropFirst(2) : offset, try hexWords(hex, line: line, number: number), "xxd")
        }
        // hexdump -C "|…|" and od's "z" ">…<": the ASCII column starts at the first bar or angle bracket.
        let hexPart = line.firstIndex { $0 == "|" || $0 == ">" }.map { line[..<$0] } ?? line
        let tokens = hexPart.split(separator: " ", omittingEmptySubsequences: true).flatMap { $0.split(separator: "\t") }
        guard let head = tokens.first else { throw error(number, line, "no hex bytes") }
        let looksLikeOffset = head.count >= 4 && head.allSatisfy(\.isHexDigit)
            && (tokens.count == 1 ? offsetLayout == true : tokens.dropFirst().allSatisfy { $0.count == 2 })
        if offsetLayout != false, looksLikeOffset, offsetLayout == true || tokens.count > 1 {
            var out: [UInt8] = []
            for token in tokens.dropFirst() {
                guard token.count == 2, let byte = UInt8(token, radix: 16) else {
                    throw error(number, line, "'\(token.prefix(20))' is not a hex byte (use od -tx1, hexdump -C or xxd: od -tx2/-tx4 "
                                + "and plain hexdump print host-order words)")
                }
                out.append(byte)
            }
            return (head, out, line.contains("|") ? "hexdump -C" : "od")
        }
        // Without offsets: `od -An -tx1` (2-digit bytes) or `xxd -p` (one run of digits per line). Spaced groups of
        // 4 or 8 digits are od -tx2/-tx4 or hexdump's default: words in host order, which this cannot undo.
        if tokens.count > 1, let word = tokens.dropFirst().first(where: { $0.count != 2 }) ?? tokens.first(where: { $0.count != 2 }) {
            throw error(number, line, "'\(word.prefix(20))' is not a hex byte (use od -tx1, hexdump -C or xxd: od -tx2/-tx4 "
                        + "and plain hexdump print host-order words)")
        }
        return (nil, try hexWords(hexPart, line: line, number: number), "od -An / xxd -p")
    }

    /// "0062 0200" or "00 62 02" or "00620200…": hex digits in groups of whole bytes, read in order.
    static func hexWords(_ text: Substring, line: Substring, number: Int) throws(RawCaptureFormat.FormatError) -> [UInt8] {
        var out: [UInt8] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard token.count % 2 == 0, token.allSatisfy(\.isHexDigit) else {
                throw error(number, line, "'\(token.prefix(20))' is not hex bytes")
            }
            var index = token.startIndex
            while index < token.endIndex {
                let next = token.index(index, offsetBy: 2)
                out.append(UInt8(token[index..<next], radix: 16)!)
                index = next
            }
        }
        return out
    }

    /// "00000010:" or "0x0010:" at the start of `line`: the offset's text without the colon.
    static func offsetToken(_ line: Substring) -> Substring? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let token = line[..<colon]
        let digits = token.hasPrefix("0x") ? token.dropFirst(2) : token
        guard !digits.isEmpty, digits.count <= 16, digits.allSatisfy(\.isHexDigit) else { return nil }
        return token
    }

    // MARK: tcpdump

    private mutating func readTcpdump(_ lines: [String], devicePort: UInt16) throws(RawCaptureFormat.FormatError) {
        layout = "tcpdump"
        var current: (line: Int, time: Int64, bytes: [UInt8])?
        var nextSequence: [LinkDirection: UInt32] = [:]
        var total = 0
        var dayOffset: Int64 = 0
        var lastTime: Int64 = 0
        func finishPacket() throws(RawCaptureFormat.FormatError) {
            guard let packet = current else { return }
            current = nil
            // A line with no hex after it is not a packet (tcpdump's "listening on …" when stderr was saved too).
            guard !packet.bytes.isEmpty else { return }
            guard let segment = TCPPayload(packet.bytes) else {
                throw Self.error(packet.line, "", "the packet printed here is not IPv4/IPv6 TCP")
            }
            let direction: LinkDirection
            if segment.sourcePort == devicePort { direction = .tx }
            else if segment.destinationPort == devicePort { direction = .rx }
            else {
                throw Self.error(packet.line, "", "TCP \(segment.sourcePort) → \(segment.destinationPort): neither is "
                                 + "the device's port \(devicePort) (--device-port)")
            }
            var payload = segment.payload
            // Retransmitted or overlapping segments repeat bytes already read: keep each stream byte once.
            if let expected = nextSequence[direction], !payload.isEmpty {
                let ahead = Int32(bitPattern: segment.sequence &- expected)
                if ahead < 0 {
                    let repeated = min(Int(-Int64(ahead)), payload.count)
                    payload.removeFirst(repeated)
                    notes.append("tcpdump packet at line \(packet.line + 1): \(repeated) repeated bytes skipped")
                } else if ahead > 0 {
                    notes.append("tcpdump packet at line \(packet.line + 1): \(ahead) \(direction) bytes missing before it")
                }
            }
            if !segment.payload.isEmpty || nextSequence[direction] == nil {
                let end = segment.sequence &+ UInt32(truncatingIfNeeded: segment.payload.count)
                if let expected = nextSequence[direction], Int32(bitPattern: end &- expected) <= 0 {} else {
                    nextSequence[direction] = end
                }
            }
            total += payload.count
            if !payload.isEmpty { packets.append(Packet(timestamp: packet.time, direction: direction, payload: payload)) }
        }
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingLeadingSpace
            if line.isEmpty { continue }
            if let offset = Self.offsetToken(line), offset.hasPrefix("0x") {
                guard current != nil else { throw Self.error(index, line, "hex before any tcpdump packet line") }
                let rest = line.dropFirst(offset.count + 1).trimmingLeadingSpace
                let hex = rest.range(of: "  ").map { rest[..<$0.lowerBound] } ?? rest
                current!.bytes += try Self.hexWords(hex, line: line, number: index)
                guard current!.bytes.count <= 256 * 1024 else { throw Self.error(index, line, "packet longer than 256 KiB") }
            } else {
                try finishPacket()
                // A packet line: "12:34:56.789012 IP 127.0.0.1.5556 > …" (or with -tttt a date first, or -t none).
                var time = Self.timeOfDay(line) ?? 0
                if time < lastTime - 43_200_000_000_000 { dayOffset += 86_400_000_000_000 }  // past midnight
                lastTime = time
                time += dayOffset
                current = (index, time, [])
            }
            guard total <= Self.maximumBytes else { throw Self.error(index, line, "more than 256 MiB of bytes") }
        }
        try finishPacket()
    }

    /// ns since midnight from "HH:MM:SS[.ffffff]" as the first or second word.
    static func timeOfDay(_ line: Substring) -> Int64? {
        for word in line.split(separator: " ").prefix(2) {
            let parts = word.split(separator: ":")
            guard parts.count == 3, let hours = Int64(parts[0]), let minutes = Int64(parts[1]),
                  (0..<24).contains(hours), (0..<60).contains(minutes) else { continue }
            let secondParts = parts[2].split(separator: ".", maxSplits: 1)
            guard let seconds = Int64(secondParts[0]), (0..<61).contains(seconds) else { continue }
            var fraction: Int64 = 0
            if secondParts.count == 2 {
                let digits = secondParts[1].prefix(9)
                guard digits.allSatisfy(\.isNumber), let value = Int64(digits) else { continue }
                fraction = value * Int64(pow10(9 - digits.count))
            }
            return ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000 + fraction
        }
        return nil
    }

    static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { result, _ in result * 10 } }

    static func error(_ line: Int?, _ text: some StringProtocol, _ reason: String) -> RawCaptureFormat.FormatError {
        let quoted = text.isEmpty ? "" : " ('\(text.prefix(60))')"
        return RawCaptureFormat.FormatError(description: (line.map { "line \($0 + 1)\(quoted): " } ?? "") + reason)
    }
}

/// The TCP payload of an IPv4 or IPv6 packet as tcpdump prints it (with or without a 14-byte Ethernet header).
struct TCPPayload {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequence: UInt32
    var payload: [UInt8]

    init?(_ packet: [UInt8]) {
        var ip = packet[...]
        if let first = ip.first, first >> 4 != 4 && first >> 4 != 6, ip.count >= 14,
           [0x0800, 0x86DD].contains(UInt16(ip[ip.startIndex + 12]) << 8 | UInt16(ip[ip.startIndex + 13])) {
            ip = ip.dropFirst(14)  // -XX on an Ethernet-framed interface
        }
        guard let version = ip.first.map({ $0 >> 4 }) else { return nil }
        let start = ip.startIndex
        var tcp: ArraySlice<UInt8>
        if version == 4 {
            let headerLength = Int(ip[start] & 0x0F) * 4
            guard ip.count >= 20, headerLength >= 20, ip.count >= headerLength, ip[start + 9] == 6 else { return nil }
            let total = Int(ip[start + 2]) << 8 | Int(ip[start + 3])
            tcp = ip[(start + headerLength)..<(start + min(max(total, headerLength), ip.count))]
        } else if version == 6 {
            guard ip.count >= 40, ip[start + 6] == 6 else { return nil }
            let payloadLength = Int(ip[start + 4]) << 8 | Int(ip[start + 5])
            tcp = ip[(start + 40)..<(start + 40 + min(payloadLength, ip.count - 40))]
        } else {
            return nil
        }
        let t = tcp.startIndex
        guard tcp.count >= 20 else { return nil }
        let dataOffset = Int(tcp[t + 12] >> 4) * 4
        guard dataOffset >= 20, dataOffset <= tcp.count else { return nil }
        sourcePort = UInt16(tcp[t]) << 8 | UInt16(tcp[t + 1])
        destinationPort = UInt16(tcp[t + 2]) << 8 | UInt16(tcp[t + 3])
        sequence = (4..<8).reduce(UInt32(0)) { $0 << 8 | UInt32(tcp[t + $1]) }
        payload = Array(tcp[(t + dataOffset)...])
    }
}

extension StringProtocol {
    var trimmingLeadingSpace: SubSequence { self[(firstIndex { $0 != " " && $0 != "\t" } ?? endIndex)...] }
}
