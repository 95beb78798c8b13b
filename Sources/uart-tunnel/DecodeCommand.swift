import ArgumentParser
import Foundation
import UartTunnelLink
import UartTunnelSystem
#if canImport(Glibc)
import Glibc
#endif

/// `--direction`: the names the help lists are the names the parser takes (LinkDirection's raw values are the
/// capture format's 0 and 1, which ArgumentParser would otherwise show).
enum DirectionArgument: String, CaseIterable, ExpressibleByArgument {
    case rx, tx

    static var allValueDescriptions: [String: String] {
        ["rx": "peer → device (the device's UART RX)", "tx": "device → peer (the device's UART TX)"]
    }

    var direction: LinkDirection { self == .rx ? .rx : .tx }
}

/// `uart-tunnel decode`: a UART capture → pcap + an alignment report.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a UART capture into pcap/pcapng and report how the stream lined up with the framing.",
        discussion: """
            Reads, told apart by their content:
              - the raw capture of `uart-tunnel device --raw FILE` (pcapng: the UART bytes of both directions, \
            timestamped; files in the older UTRAW format too),
              - hex text as od, xxd, hexdump or tcpdump print it: `od -An -tx1`, `od -A x -t x1z -v` \
            (firmware/tools/view_uart1.sh --direct), `hexdump -C`, `xxd`, `xxd -p` are one direction (--direction) \
            without timing; `tcpdump -X` of the tunnel's TCP port (view_uart1.sh) has both directions, told apart \
            by --device-port, and each packet's time,
              - with --plain, a binary byte dump of one direction (e.g. from a logic analyser).
            Each direction is decoded with the firmware's rules (lengths 14...1518, an invalid length skips only its \
            2 bytes, a partial frame is dropped after the timeout) and the report lists the frames, every invalid \
            length with its stream offset, the resync points and the partial frames. A dump without timing cannot \
            show timeouts.
            """)

    @Argument(help: "The capture: --raw pcapng, UTRAW, hex text, or a byte dump with --plain.")
    var input: String

    @Option(help: "Write the decoded frames here.")
    var pcap: String?

    @Option(help: "pcapng (direction in EPB flags, notes as comments) or pcap (notes in PCAP.txt).")
    var format: PacketFileFormat = .pcapng

    @Flag(help: "The input is a binary byte dump of one direction (hex text is recognised without it).")
    var plain = false

    @Option(name: .customLong("direction"), help: "Direction of a --plain dump.")
    var directionArgument: DirectionArgument = .tx
    var direction: LinkDirection { directionArgument.direction }

    @Option(help: "Partial-frame timeout in ms (default: the capture's, else 1000).")
    var frameTimeoutMs: Int?

    @Option(help: "The device's UART TCP port in tcpdump text: packets from it are TX, to it RX.")
    var devicePort: UInt16 = 5556

    @Flag(help: "Print the report as JSON (snake_case keys).")
    var json = false

    /// The whole file, or a runtime error with the errno text (`cannot read X: No such file or directory`).
    static func read(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RuntimeError(SystemError(call: "cannot read \(path)", errno: errno).description) }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw RuntimeError(SystemError(call: "cannot read \(path)", errno: errno).description)
            }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    func run() throws {
        let data = try Self.read(input)
        let result: CaptureDecoding.Result
        do {
            result = try CaptureDecoding.decode(
                [UInt8](data), plain: plain, direction: direction, pcap: pcap, format: format,
                frameTimeoutMs: frameTimeoutMs, devicePort: devicePort)
        } catch let error as RawCaptureFormat.FormatError {
            throw RuntimeError("\(input): \(error)")
        } catch let error as SystemError {
            throw RuntimeError("--pcap \(error)")
        }
        if json {
            struct Document: Encodable {
                let input: String
                let kind: String
                let packets: Int
                let pcap: String?
                let notes: [String]
                let directions: [AlignmentReport]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let document = Document(input: input, kind: result.kind.rawValue, packets: result.packets, pcap: pcap,
                                    notes: result.notes, directions: result.reports)
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        } else {
            let kind = switch result.kind {
            case .pcapng: "raw capture (pcapng)"
            case .raw: "raw capture (UTRAW)"
            case .hexText: "hex text"
            case .plain: "plain \(direction) byte dump"
            }
            print("\(input): \(kind), \(result.packets) packets"
                + (pcap.map { " → \($0) (\(format.rawValue))" } ?? ""))
            for note in result.notes { print("note: \(note)") }
            print(AlignmentReport.table(result.reports))
        }
    }
}
