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

/// Writes Ethernet frames decoded from the UART stream to a pcapng or pcap file that Wireshark and tshark read; with
/// `uartBytes` (the raw capture, pcapng only) also the UART bytes themselves on a second interface.
///
/// ```
///  pcapng:  SHB ─ IDB 0 (uart1, LINKTYPE_ETHERNET=1, if_tsresol=9) [─ IDB 1 (uart1-bytes, LINKTYPE_USER0=147)]
///           ─ EPB ─ EPB ─ … ─ ISB(summary comment)
///  EPB:     interface · ts (ns) · captured len · original len · bytes · epb_flags(1=in/RX, 2=out/TX) · comment
/// ```
///
/// A partial frame (dropped after the timeout, or cut by a disconnect or the end of the capture) is written as a
/// packet with its received bytes and its announced length as the original length (caplen < len, as for a
/// snaplen-truncated capture), with a comment saying what happened. Invalid lengths have no frame: they are noted
/// in the comment of the next packet of the same direction, and any left at the end in the closing summary.
///
/// `path` may be a regular file (created or truncated), `-` (standard output) or a named pipe: those are opened,
/// never replaced, and get every block as soon as it is complete, so a reader (`tshark -r -`, `wireshark -k -i
/// FIFO`) sees each packet as it crosses. Opening a FIFO waits for its reader, as `tcpdump -w FIFO` does. A file
/// is written in 64 KiB pieces and at least every 200 ms of activity, so a killed device leaves its capture.
public final class PacketCaptureWriter {
    public let path: String
    public let format: PacketFileFormat
    public private(set) var packets = 0
    public private(set) var bytesWritten = 0
    /// The SHB and IDBs: what a reader needs before any packet (the tap sends them to each new client).
    public let headerBlocks: [UInt8]
    private let output: CaptureDestination
    private let hasByteInterface: Bool
    private var buffer: [UInt8] = []
    private var sideReport: [String] = []
    private var lastTimestamp: Int64 = 0
    private var lastFlush = MonotonicTime.now()

    /// Throws a `SystemError` named by `path` when it cannot be opened.
    public convenience init(path: String, format: PacketFileFormat, uartBytes: RawCaptureFormat.Header? = nil) throws {
        try self.init(path: path, format: format, uartBytes: uartBytes, output: CaptureOutput(path: path))
    }

    init(path: String, format: PacketFileFormat, uartBytes: RawCaptureFormat.Header?, output: CaptureDestination) {
        precondition(uartBytes == nil || format == .pcapng, "UART bytes need pcapng's second interface")
        self.path = path
        self.format = format
        hasByteInterface = uartBytes != nil
        switch format {
        case .pcapng:
            headerBlocks = Pcapng.sectionHeader()
                + Pcapng.interfaceDescription(
                    linkType: Pcapng.linkTypeEthernet, name: "uart1",
                    description: "ESP32 UART1 IP tunnel: [len_hi][len_lo] + Ethernet frame, decoded")
                + (uartBytes?.interfaceDescription ?? [])
        case .pcap:
            var header: [UInt8] = []
            header.appendLittleEndian(UInt32(0xA1B2_3C4D))  // nanosecond-resolution pcap
            header.appendLittleEndian(UInt16(2))
            header.appendLittleEndian(UInt16(4))
            header.appendLittleEndian(UInt32(0))  // thiszone
            header.appendLittleEndian(UInt32(0))  // sigfigs
            header.appendLittleEndian(UInt32(65535))  // snaplen
            header.appendLittleEndian(UInt32(1))  // LINKTYPE_ETHERNET
            headerBlocks = header
        }
        self.output = output
        if format == .pcap, !output.isStream {
            sideReport.append("# side report for \(URL(fileURLWithPath: path).lastPathComponent): classic pcap has no "
                + "direction field; one line per packet (number, direction, notes), then the summary")
        }
        // classic pcap has one header per file: a continued file has it already
        buffer = format == .pcap && output.continuesFile ? [] : headerBlocks
        flush()
    }

    /// The side report's path for classic pcap written to a file (a stream has none: see `finish`).
    public var sideReportPath: String? { format == .pcap && !output.isStream ? path + ".txt" : nil }

    /// One decoded frame: `bytes` captured of a frame `originalLength` long, crossing in `direction` at
    /// `timestamp` (ns since the Unix epoch).
    public func packet(direction: LinkDirection, timestamp: Int64, bytes: [UInt8], originalLength: Int? = nil,
                       comment: String? = nil) {
        let original = max(originalLength ?? bytes.count, bytes.count)
        packets += 1
        lastTimestamp = max(lastTimestamp, timestamp)
        switch format {
        case .pcapng:
            append(Pcapng.enhancedPacket(interface: 0, timestamp: timestamp, bytes: bytes, originalLength: original,
                                         direction: direction, comment: comment))
        case .pcap:
            var record: [UInt8] = []
            record.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp / 1_000_000_000))
            record.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp % 1_000_000_000))
            record.appendLittleEndian(UInt32(bytes.count))
            record.appendLittleEndian(UInt32(original))
            append(record + bytes)
            if !output.isStream {
                sideReport.append("packet \(packets) \(direction)" + (comment.map { " \($0)" } ?? ""))
            }
        }
    }

    /// What a ``StreamAligner`` produced: a whole frame, or a partial one with its announced length.
    public func write(_ output: StreamAligner.Output, direction: LinkDirection, timestamp: Int64) {
        switch output {
        case .frame(let frame, _, let comment):
            packet(direction: direction, timestamp: timestamp, bytes: frame, comment: comment)
        case .partial(let bytes, let expected, _, let comment):
            packet(direction: direction, timestamp: timestamp, bytes: bytes, originalLength: expected, comment: comment)
        }
    }

    /// UART bytes as they crossed (the byte interface; a writer without one ignores them).
    public func uartBytes(direction: LinkDirection, timestamp: Int64, bytes: UnsafeRawBufferPointer) {
        guard hasByteInterface else { return }
        lastTimestamp = max(lastTimestamp, timestamp)
        append(Pcapng.enhancedPacket(interface: 1, timestamp: timestamp, bytes: Array(bytes), originalLength: bytes.count,
                                     direction: direction, comment: nil))
    }

    /// A note on the byte interface: a packet with no bytes and no direction, its text as the comment.
    public func note(_ text: String, timestamp: Int64) {
        guard hasByteInterface else { return }
        lastTimestamp = max(lastTimestamp, timestamp)
        append(Pcapng.enhancedPacket(interface: 1, timestamp: timestamp, bytes: [], originalLength: 0, direction: nil,
                                     comment: text))
    }

    private func append(_ block: [UInt8]) {
        buffer += block
        // A live reader gets every packet as it crosses; a file is written in 64 KiB pieces or after 200 ms.
        let now = MonotonicTime.now()
        if output.isStream || buffer.count >= 64 * 1024 || now - lastFlush > 200_000_000 {
            flush()
            lastFlush = now
        }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        output.write(buffer)
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the file: pcapng gets an Interface Statistics Block carrying `summary` as comments; pcap gets its side
    /// report. Call once.
    public func finish(summary: [String], received: Int, dropped: Int) {
        switch format {
        case .pcapng:
            append(Pcapng.interfaceStatistics(interface: 0, timestamp: lastTimestamp, received: received,
                                              dropped: dropped, comments: summary))
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
}

/// Where a writer's bytes go: a file or stream (``CaptureOutput``) or the live tap (``CaptureTapServer``).
protocol CaptureDestination: AnyObject {
    /// Not a regular file: every block is written as soon as it is complete.
    var isStream: Bool { get }
    /// A regular file that already holds a capture this one continues (CaptureContinuation.swift).
    var continuesFile: Bool { get }
    func write(_ bytes: [UInt8])
    func close()
}

/// Where a capture goes: a regular file (created or truncated in place), standard output (`-`), or whatever else
/// the path names that can be written in order — a FIFO, a character device — opened as it is, never replaced.
/// A path that cannot be opened is a `SystemError` named by the path (`/x/y.pcapng: No such file or directory`).
final class CaptureOutput: CaptureDestination {
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
            // O_TRUNC leaves a FIFO or device as it is; open(2) on a FIFO waits for a reader. After esp_restart
            // the file goes on (CaptureContinuation.swift).
            let mode = CaptureContinuation.isContinuing ? O_APPEND : O_TRUNC
            let opened = open(path, O_WRONLY | O_CREAT | mode | O_CLOEXEC, 0o644)
            guard opened >= 0 else { throw SystemError(call: path, errno: errno) }
            descriptor = opened
        }
        var info = stat()
        isStream = fstat(descriptor, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG
        continuesFile = CaptureContinuation.isContinuing && !isStream && info.st_size > 0
    }

    let continuesFile: Bool

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
