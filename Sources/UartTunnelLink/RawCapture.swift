import Foundation

/// Which way bytes crossed the UART, seen from the device.
public enum LinkDirection: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Peer (bridge) → device: the device's UART RX.
    case rx = 0
    /// Device → peer: the device's UART TX.
    case tx = 1

    public var description: String { self == .rx ? "RX" : "TX" }
}

/// The raw UART capture: every byte that crossed the device's UART, in both directions, with the time it crossed,
/// plus notes (peer connected / disconnected).
///
/// `uart-tunnel device --raw FILE` writes it as **pcapng** (see ``PacketCaptureWriter``), so one file opens in
/// Wireshark with both views:
///
/// ```
///  SHB ─ IDB 0 "uart1"        LINKTYPE_ETHERNET: the frames decoded from the stream, as --capture writes them
///      ─ IDB 1 "uart1-bytes"  LINKTYPE_USER0 (147): the bytes as they crossed, one packet per read or write;
///                             if_speed = baud; opt_comment "uart-tunnel uart: baud=… frame=8N1 frame_timeout_ms=…"
///      ─ EPB … (both interfaces, in the order the tap saw them; epb_flags 1 = RX (peer → device), 2 = TX,
///               0 with no bytes = a note, its text in the comment)
/// ```
///
/// Earlier versions wrote the format below, which `decode` still reads (``RawCaptureFormat/parse(_:)``).
/// All integers little-endian.
///
/// ```
///  header (32 bytes)
///  +0   8  magic  "UTRAW\0\0\1"   (55 54 52 41 57 00 00 01)
///  +8   4  u32    header length (32; readers skip any bytes beyond the fields they know)
///  +12  4  u32    baud of the paced line, 0 = unpaced
///  +16  8  u64    capture start, ns since the Unix epoch (CLOCK_REALTIME)
///  +24  4  u32    frame format, ASCII, NUL padded (e.g. "8N1\0")
///  +28  4  u32    partial-frame timeout of the device, ms
///
///  record (13 + n bytes), repeated to the end of the file
///  +0   8  u64    timestamp, ns since the Unix epoch (start + monotonic time since start)
///  +8   1  u8     kind: 0 = RX bytes (peer → device), 1 = TX bytes (device → peer), 2 = note (UTF-8 text)
///  +9   4  u32    n, the byte count
///  +13  n  bytes  exactly as they crossed the UART (RX after faults and pacing, as the driver got them;
///                 TX as the driver wrote them, before faults)
/// ```
///
/// Notes mark stream boundaries: `connected <peer>` and `disconnected: <reason>` (the device's decoder starts
/// over at a disconnect, and so does `decode`). A file cut short (the device was killed) ends at the last whole
/// record or block; readers stop there.
public enum RawCaptureFormat {
    public static let magic: [UInt8] = [0x55, 0x54, 0x52, 0x41, 0x57, 0x00, 0x00, 0x01]
    public static let headerLength = 32
    public static let recordHeaderLength = 13

    public enum Kind: UInt8, Sendable {
        case rx = 0, tx = 1, note = 2
    }

    public struct Header: Sendable, Equatable {
        public var baud: Int
        public var startNanoseconds: Int64
        public var frameFormat: String
        public var frameTimeoutMilliseconds: Int

        public init(baud: Int, startNanoseconds: Int64, frameFormat: String, frameTimeoutMilliseconds: Int) {
            self.baud = baud
            self.startNanoseconds = startNanoseconds
            self.frameFormat = frameFormat
            self.frameTimeoutMilliseconds = frameTimeoutMilliseconds
        }

        public var bytes: [UInt8] {
            var out = magic
            out.appendLittleEndian(UInt32(headerLength))
            out.appendLittleEndian(UInt32(clamping: baud))
            out.appendLittleEndian(UInt64(bitPattern: startNanoseconds))
            var format = Array(frameFormat.utf8.prefix(4))
            format += [UInt8](repeating: 0, count: 4 - format.count)
            out += format
            out.appendLittleEndian(UInt32(clamping: frameTimeoutMilliseconds))
            return out
        }
    }

    public struct Record: Sendable, Equatable {
        public var timestamp: Int64
        public var kind: Kind
        public var bytes: [UInt8]

        public init(timestamp: Int64, kind: Kind, bytes: [UInt8]) {
            self.timestamp = timestamp
            self.kind = kind
            self.bytes = bytes
        }

        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The longest span a capture may cover: far beyond any real run, far below Int64 overflow.
    static let maxSpanNanoseconds: Int64 = 100 * 365 * 86_400 * 1_000_000_000

    /// The rule every capture reader applies: the writer stamps start + monotonic time under one lock, so stamps
    /// never go back; one that does (or that lies more than a century from the first) is a damaged file, and
    /// decoding it would mean negative time or an overflow.
    static func checkOrder(_ timestamp: Int64, after records: [Record], what: String) throws(FormatError) {
        if let previous = records.last?.timestamp, timestamp < previous {
            throw FormatError(description: "\(what) has timestamp \(timestamp) ns, before the previous record's "
                              + "\(previous) ns: the capture is damaged")
        }
        if let first = records.first?.timestamp,
           case let (span, overflow) = timestamp.subtractingReportingOverflow(first),
           overflow || span > maxSpanNanoseconds {
            throw FormatError(description: "\(what) has timestamp \(timestamp) ns, more than 100 years after the "
                              + "first record's: the capture is damaged")
        }
    }

    /// Parses a whole capture in the format before pcapng. A truncated last record is ignored (`truncatedTail` says so).
    public static func parse(_ data: [UInt8]) throws(FormatError) -> (header: Header, records: [Record], truncatedTail: Bool) {
        guard data.count >= headerLength, Array(data[0..<8]) == magic else {
            throw FormatError(description: "not a uart-tunnel raw capture (magic UTRAW\\0\\0\\1 missing)")
        }
        let declared = Int(data.u32le(at: 8))
        guard declared >= headerLength, declared <= data.count else {
            throw FormatError(description: "raw capture header length \(declared) is invalid")
        }
        let formatBytes = data[24..<28].prefix { $0 != 0 }
        let header = Header(baud: Int(data.u32le(at: 12)), startNanoseconds: Int64(bitPattern: data.u64le(at: 16)),
                            frameFormat: String(decoding: formatBytes, as: UTF8.self),
                            frameTimeoutMilliseconds: Int(data.u32le(at: 28)))
        var records: [Record] = []
        var offset = declared
        while offset + recordHeaderLength <= data.count {
            let timestamp = Int64(bitPattern: data.u64le(at: offset))
            let kindByte = data[offset + 8]
            let length = Int(data.u32le(at: offset + 9))
            let start = offset + recordHeaderLength
            guard start + length <= data.count else { return (header, records, true) }
            guard let kind = Kind(rawValue: kindByte) else {
                throw FormatError(description: "record at file offset \(offset) has unknown kind \(kindByte)")
            }
            try checkOrder(timestamp, after: records, what: "record at file offset \(offset)")
            records.append(Record(timestamp: timestamp, kind: kind, bytes: Array(data[start..<(start + length)])))
            offset = start + length
        }
        return (header, records, offset != data.count)
    }
}

public struct CaptureError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    func u32le(at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[offset + $1]) << UInt32(8 * $1) }
    }

    func u64le(at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[offset + $1]) << UInt64(8 * $1) }
    }
}
