/// Any capture `uart-tunnel decode` reads, as timestamped records of both directions: the pcapng raw capture
/// (`--raw`), the old UTRAW format, hex text (od, xxd, hexdump, tcpdump: ``HexDumpReader``), or a plain byte dump of
/// one direction. The kind is told from the content; `plain` says a binary input is a byte dump.
public struct CaptureFile: Sendable {
    public enum Kind: String, Sendable, Codable {
        case pcapng, raw, hexText = "hex_text", plain
    }

    public var kind: Kind
    /// The line's parameters (nil when the input does not say).
    public var header: RawCaptureFormat.Header?
    public var records: [RawCaptureFormat.Record]
    /// Whether the records carry real times (a plain dump does not, so timeouts cannot be seen in it).
    public var timed: Bool
    /// What the reader noticed: layout, a cut-short file, bytes skipped.
    public var notes: [String]
    /// When the capture ended, if the file says (a pcapng's last block): a partial frame left open longer than the
    /// frame timeout before it had timed out in the device.
    public var endTimestamp: Int64?

    public init(_ data: [UInt8], plain: Bool, direction: LinkDirection, devicePort: UInt16 = 5556)
        throws(RawCaptureFormat.FormatError) {
        notes = []
        if !plain, PcapngReader.isPcapng(data) {
            kind = .pcapng
            timed = true
            (header, records, endTimestamp) = try Self.fromPcapng(data, notes: &notes)
        } else if !plain, data.count >= 8, Array(data[0..<8]) == RawCaptureFormat.magic {
            kind = .raw
            timed = true
            let parsed = try RawCaptureFormat.parse(data)
            header = parsed.header
            records = parsed.records
            if parsed.truncatedTail { notes.append("the file ends inside a record (capture cut short); decoded up to it") }
        } else if HexDumpReader.isText(data) {
            kind = .hexText
            let dump: HexDumpReader
            do {
                dump = try HexDumpReader(text: data, devicePort: devicePort)
            } catch {
                throw RawCaptureFormat.FormatError(description: "the input is text, not bytes, and not a hex dump "
                    + "decode reads (od -An -tx1, od -A x -t x1z, hexdump -C, xxd, xxd -p, tcpdump -X): \(error)")
            }
            notes += ["hex text (\(dump.layout))"] + dump.notes
            header = nil
            if dump.layout == "tcpdump" {
                timed = true
                records = dump.packets.map {
                    RawCaptureFormat.Record(timestamp: $0.timestamp, kind: $0.direction == .rx ? .rx : .tx, bytes: $0.payload)
                }
            } else {
                timed = false
                records = Self.chunks(dump.bytes, direction: direction)
            }
        } else if plain {
            kind = .plain
            timed = false
            header = nil
            records = Self.chunks(data, direction: direction)
        } else {
            throw RawCaptureFormat.FormatError(description: "not a capture decode knows (pcapng from --raw, the older "
                + "UTRAW raw format, or hex text); for a plain byte dump of one direction add --plain")
        }
        if !timed { notes.append("no timing in a \(kind == .plain ? "plain" : "hex") dump, so partial-frame timeouts cannot be detected") }
    }

    /// A one-direction dump as untimed records of at most 64 KiB.
    static func chunks(_ bytes: [UInt8], direction: LinkDirection) -> [RawCaptureFormat.Record] {
        stride(from: 0, to: bytes.count, by: 65536).map { start in
            RawCaptureFormat.Record(timestamp: 0, kind: direction == .rx ? .rx : .tx,
                                    bytes: Array(bytes[start..<min(start + 65536, bytes.count)]))
        }
    }

    /// The UART byte interface's packets of a `--raw` pcapng; a pcapng without one holds decoded frames only.
    static func fromPcapng(_ data: [UInt8], notes: inout [String])
        throws(RawCaptureFormat.FormatError) -> (RawCaptureFormat.Header?, [RawCaptureFormat.Record], Int64?) {
        let file = try PcapngReader(data)
        let ours = file.interfaces.indices.filter { index in
            file.interfaces[index].linkType == Pcapng.linkTypeUser0
                && file.interfaces[index].comments.contains { RawCaptureFormat.Header(interfaceComment: $0) != nil }
        }
        guard ours.count == 1, let byteInterface = ours.first else {
            throw RawCaptureFormat.FormatError(description: ours.isEmpty
                ? "a pcapng without the UART byte interface (LINKTYPE_USER0, written by --raw): it holds decoded frames "
                    + "only (e.g. from --capture), so open it in Wireshark; decode needs the --raw file"
                : "a pcapng with \(ours.count) UART byte interfaces (several captures joined?): decode one at a time")
        }
        let header = file.interfaces[byteInterface].comments.lazy.compactMap(RawCaptureFormat.Header.init(interfaceComment:)).first
        var records: [RawCaptureFormat.Record] = []
        for packet in file.packets where packet.interface == byteInterface {
            let kind: RawCaptureFormat.Kind = switch packet.direction {
            case 1: .rx
            case 2: .tx
            default: .note
            }
            try RawCaptureFormat.checkOrder(packet.timestamp, after: records, what: "pcapng block at file offset \(packet.offset)")
            let bytes = kind == .note ? Array(packet.comments.joined(separator: "\n").utf8) : packet.bytes
            records.append(RawCaptureFormat.Record(timestamp: packet.timestamp, kind: kind, bytes: bytes))
        }
        if file.truncatedTail { notes.append("the file ends inside a block (capture cut short); decoded up to it") }
        // The end counts only where it follows the last record by less than the readers' century (no overflow).
        let end = file.lastTimestamp.flatMap { end -> Int64? in
            guard let last = records.last?.timestamp, end >= last else { return nil }
            return (try? RawCaptureFormat.checkOrder(end, after: records, what: "the capture's end")) == nil ? nil : end
        }
        return (header, records, end)
    }
}
