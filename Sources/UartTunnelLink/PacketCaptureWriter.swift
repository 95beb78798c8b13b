import Foundation

/// File formats for decoded frames.
public enum PacketFileFormat: String, Sendable, Codable, CaseIterable {
    /// pcapng: one interface "uart1" (LINKTYPE_ETHERNET, ns timestamps); each frame an Enhanced Packet Block whose
    /// epb_flags give the direction (inbound = RX, outbound = TX) and whose comment carries the alignment notes.
    case pcapng
    /// Classic pcap (LINKTYPE_ETHERNET, ns magic): no direction field, so direction and notes go to a side report
    /// `FILE.txt`, one line per packet.
    case pcap
}

/// Writes Ethernet frames decoded from the UART stream to a pcapng or pcap file that Wireshark and tshark read.
///
/// ```
///  pcapng:  SHB ─ IDB(uart1, LINKTYPE_ETHERNET=1, if_tsresol=9) ─ EPB ─ EPB ─ … ─ ISB(summary comment)
///  EPB:     interface 0 · ts (ns) · captured len · original len · frame · epb_flags(1=in/RX, 2=out/TX) · comment
/// ```
///
/// A partial frame (dropped after the timeout, or cut by a disconnect or the end of the capture) is written as a
/// packet with its received bytes and its announced length as the original length (caplen < len, as for a
/// snaplen-truncated capture), with a comment saying what happened. Invalid lengths have no frame: they are noted
/// in the comment of the next packet of the same direction, and any left at the end in the closing summary.
public final class PacketCaptureWriter {
    public let path: String
    public let format: PacketFileFormat
    public private(set) var packets = 0
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var sideReport: [String] = []
    private var lastTimestamp: Int64 = 0
    private var firstTimestamp: Int64?

    public init(path: String, format: PacketFileFormat) throws {
        self.path = path
        self.format = format
        var header: [UInt8]
        switch format {
        case .pcapng:
            header = Self.sectionHeader() + Self.interfaceDescription()
        case .pcap:
            header = []
            header.appendLittleEndian(UInt32(0xA1B2_3C4D))  // nanosecond-resolution pcap
            header.appendLittleEndian(UInt16(2))
            header.appendLittleEndian(UInt16(4))
            header.appendLittleEndian(UInt32(0))  // thiszone
            header.appendLittleEndian(UInt32(0))  // sigfigs
            header.appendLittleEndian(UInt32(65535))  // snaplen
            header.appendLittleEndian(UInt32(1))  // LINKTYPE_ETHERNET
            sideReport.append("# side report for \(URL(fileURLWithPath: path).lastPathComponent): classic pcap has no "
                + "direction field; one line per packet (number, direction, notes), then the summary")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(header)) else {
            throw CaptureError(description: "cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
    }

    /// The side report's path for classic pcap.
    public var sideReportPath: String? { format == .pcap ? path + ".txt" : nil }

    /// One packet: `bytes` captured of a frame `originalLength` long, crossing in `direction` at `timestamp`
    /// (ns since the Unix epoch).
    public func packet(direction: LinkDirection, timestamp: Int64, bytes: [UInt8], originalLength: Int? = nil,
                       comment: String? = nil) {
        let original = max(originalLength ?? bytes.count, bytes.count)
        packets += 1
        lastTimestamp = max(lastTimestamp, timestamp)
        if firstTimestamp == nil { firstTimestamp = timestamp }
        switch format {
        case .pcapng:
            var body: [UInt8] = []
            body.appendLittleEndian(UInt32(0))  // interface 0
            let ts = UInt64(bitPattern: timestamp)
            body.appendLittleEndian(UInt32(truncatingIfNeeded: ts >> 32))
            body.appendLittleEndian(UInt32(truncatingIfNeeded: ts))
            body.appendLittleEndian(UInt32(bytes.count))
            body.appendLittleEndian(UInt32(original))
            body += bytes
            Self.pad(&body)
            var flags: [UInt8] = []
            flags.appendLittleEndian(UInt32(direction == .rx ? 1 : 2))
            body += Self.option(2, flags)  // epb_flags: bits 0-1 = direction
            if let comment { body += Self.option(1, Array(comment.utf8)) }
            body += Self.endOfOptions
            buffer += Self.block(6, body)
        case .pcap:
            buffer.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp / 1_000_000_000))
            buffer.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp % 1_000_000_000))
            buffer.appendLittleEndian(UInt32(bytes.count))
            buffer.appendLittleEndian(UInt32(original))
            buffer += bytes
            sideReport.append("packet \(packets) \(direction)" + (comment.map { " \($0)" } ?? ""))
        }
        if buffer.count >= 64 * 1024 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        try? handle.write(contentsOf: Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the file: pcapng gets an Interface Statistics Block carrying `summary` as comments; pcap gets its side
    /// report. Call once.
    public func finish(summary: [String], received: Int, dropped: Int) {
        switch format {
        case .pcapng:
            var body: [UInt8] = []
            body.appendLittleEndian(UInt32(0))
            let ts = UInt64(bitPattern: lastTimestamp)
            body.appendLittleEndian(UInt32(truncatingIfNeeded: ts >> 32))
            body.appendLittleEndian(UInt32(truncatingIfNeeded: ts))
            var value: [UInt8] = []
            value.appendLittleEndian(UInt64(received))
            body += Self.option(4, value)  // isb_ifrecv
            value = []
            value.appendLittleEndian(UInt64(dropped))
            body += Self.option(5, value)  // isb_ifdrop
            for line in summary { body += Self.option(1, Array(line.utf8)) }
            body += Self.endOfOptions
            buffer += Self.block(5, body)
            flush()
        case .pcap:
            flush()
            let text = (sideReport + summary).joined(separator: "\n") + "\n"
            if !FileManager.default.createFile(atPath: path + ".txt", contents: Data(text.utf8)) {
                // Classic pcap has no room for directions and notes: say so rather than lose them quietly.
                FileHandle.standardError.write(Data("cannot write \(path).txt: the capture's directions and notes are lost\n".utf8))
            }
        }
        try? handle.close()
    }

    // MARK: pcapng blocks

    static let endOfOptions: [UInt8] = [0, 0, 0, 0]

    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        var padded = body
        pad(&padded)
        var out: [UInt8] = []
        let total = UInt32(12 + padded.count)
        out.appendLittleEndian(type)
        out.appendLittleEndian(total)
        out += padded
        out.appendLittleEndian(total)
        return out
    }

    static func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(code)
        out.appendLittleEndian(UInt16(value.count))
        out += value
        pad(&out)
        return out
    }

    static func pad(_ bytes: inout [UInt8]) {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    static func sectionHeader() -> [UInt8] {
        var body: [UInt8] = []
        body.appendLittleEndian(UInt32(0x1A2B_3C4D))  // byte-order magic
        body.appendLittleEndian(UInt16(1))
        body.appendLittleEndian(UInt16(0))
        body.appendLittleEndian(UInt64.max)  // section length unknown
        body += option(4, Array("uart-tunnel".utf8))  // shb_userappl
        body += endOfOptions
        return block(0x0A0D_0D0A, body)
    }

    static func interfaceDescription() -> [UInt8] {
        var body: [UInt8] = []
        body.appendLittleEndian(UInt16(1))  // LINKTYPE_ETHERNET
        body.appendLittleEndian(UInt16(0))
        body.appendLittleEndian(UInt32(0))  // no snaplen limit
        body += option(2, Array("uart1".utf8))  // if_name
        body += option(3, Array("ESP32 UART1 IP tunnel: [len_hi][len_lo] + Ethernet frame, decoded".utf8))
        body += option(9, [9])  // if_tsresol: 10^-9 s
        body += endOfOptions
        return block(1, body)
    }
}
