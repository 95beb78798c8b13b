import Foundation
#if canImport(Glibc)
import Glibc
#endif
import UartTunnelSystem

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
///
/// `path` may be a regular file (created or truncated), `-` (standard output) or a named pipe: those are opened,
/// never replaced, and get every block as soon as it is complete, so a reader (`tshark -r -`, `wireshark -k -i
/// FIFO`) sees each packet as it crosses. Opening a FIFO waits for its reader, as `tcpdump -w FIFO` does.
public final class PacketCaptureWriter {
    public let path: String
    public let format: PacketFileFormat
    public private(set) var packets = 0
    private let output: CaptureOutput
    private var buffer: [UInt8] = []
    private var sideReport: [String] = []
    private var lastTimestamp: Int64 = 0
    private var firstTimestamp: Int64?

    /// Throws a `SystemError` named by `path` when it cannot be opened.
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
        }
        output = try CaptureOutput(path: path)
        if format == .pcap, !output.isStream {
            sideReport.append("# side report for \(URL(fileURLWithPath: path).lastPathComponent): classic pcap has no "
                + "direction field; one line per packet (number, direction, notes), then the summary")
        }
        buffer = header
        flush()
    }

    /// The side report's path for classic pcap written to a file (a stream has none: see `finish`).
    public var sideReportPath: String? { format == .pcap && !output.isStream ? path + ".txt" : nil }

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
            if !output.isStream {
                sideReport.append("packet \(packets) \(direction)" + (comment.map { " \($0)" } ?? ""))
            }
        }
        // A live reader gets every packet as it crosses; a file is written in 64 KiB pieces.
        if output.isStream || buffer.count >= 64 * 1024 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        output.write(buffer)
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
            // A stream has no side file beside it (there is no `-.txt` to write): its summary goes to stderr.
            guard let sideReportPath else {
                FileHandle.standardError.write(Data((["capture \(path) (pcap, no directions):"] + summary)
                    .joined(separator: "\n  ").appending("\n").utf8))
                break
            }
            let text = (sideReport + summary).joined(separator: "\n") + "\n"
            if !FileManager.default.createFile(atPath: sideReportPath, contents: Data(text.utf8)) {
                // Classic pcap has no room for directions and notes: say so rather than lose them quietly.
                FileHandle.standardError.write(Data("cannot write \(sideReportPath): the capture's directions and notes are lost\n".utf8))
            }
        }
        output.close()
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

/// Where a capture goes: a regular file (created or truncated in place), standard output (`-`), or whatever else
/// the path names that can be written in order — a FIFO, a character device — opened as it is, never replaced.
/// A path that cannot be opened is a `SystemError` named by the path (`/x/y.pcapng: No such file or directory`).
final class CaptureOutput {
    let path: String
    /// Not a regular file: written as each block completes, and a reader that leaves ends the capture quietly.
    let isStream: Bool
    private let descriptor: Int32
    private var broken = false

    init(path: String) throws {
        self.path = path
        if path == "-" {
            // Standard output becomes the capture's alone: anything else this process prints there (a C driver's
            // printf, a status line) goes to stderr instead of into the middle of a pcapng block.
            let copy = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
            guard copy >= 0 else { throw SystemError(call: "- (dup of standard output)", errno: errno) }
            fflush(nil)  // whatever was printed before goes out first
            dup2(STDERR_FILENO, STDOUT_FILENO)
            descriptor = copy
        } else {
            // O_TRUNC leaves a FIFO or device as it is; open(2) on a FIFO waits for a reader.
            let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard opened >= 0 else { throw SystemError(call: path, errno: errno) }
            descriptor = opened
        }
        var info = stat()
        isStream = fstat(descriptor, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG
    }

    func write(_ bytes: [UInt8]) {
        guard !broken else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    // The reader left (EPIPE) or the disk is full: the device goes on, the capture stops here.
                    let reason = written < 0 ? SystemError.message(for: errno) : "nothing written"
                    FileHandle.standardError.write(Data("capture \(path) stopped: \(reason)\n".utf8))
                    broken = true
                    return
                }
            }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}
