import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import UartTunnelLink

extension PacketFileFormat: ExpressibleByArgument {}

/// The device's UART line: `--baud`, `--frame`, `--faults`, `--raw`, `--capture`.
struct LinkOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Pace both directions like a real UART at this baud rate (e.g. 115200, 230400, 460800; at most 5000000). "
            + "Without it the line is unpaced, like QEMU's chardev.", valueName: "baud"))
    var baud: Int?

    @Option(help: ArgumentHelp("Character format for --baud: data bits, parity (N/E/O/M/S), stop bits, e.g. 8N1, 8E1, 8N2, 7E1.",
                               valueName: "format"))
    var frame: String = "8N1"

    @Option(help: ArgumentHelp(
        "Inject faults, e.g. loss=0.01,drop-byte=1e-4,flip-bit=1e-6,truncate=0.001,delay=5ms±2ms,seed=7. "
            + "loss/truncate per record, drop-byte per byte, flip-bit per bit; prefix a key with rx: (peer → device) "
            + "or tx: (device → peer) for one direction. Counters appear in /api/status and the final log line.",
        valueName: "spec"))
    var faults: String?

    @Option(help: ArgumentHelp("Write every byte crossing the UART, both directions, timestamped, to FILE (raw format; "
                               + "`uart-tunnel decode FILE` reads it).", valueName: "file"))
    var raw: String?

    @Option(help: ArgumentHelp("Write the decoded frames of both directions to FILE (pcapng by default: direction in the "
                               + "EPB flags, bad lengths and timeouts as comments).",
                               discussion: "`-` streams to standard output and a named pipe (FIFO) is streamed into "
                               + "(each packet as it crosses; opening a FIFO waits for its reader), so a live "
                               + "`wireshark -k -i FIFO` or `| tshark -r -` shows the tunnel as it runs.",
                               valueName: "file|-|fifo"))
    var capture: String?

    @Option(help: "Format of --capture: pcapng, or pcap (then direction and notes go to FILE.txt).")
    var captureFormat: PacketFileFormat = .pcapng

    func validate() throws {
        _ = try makeConfiguration()
    }

    func makeConfiguration() throws -> LinkConfiguration {
        var configuration = LinkConfiguration()
        guard let format = UARTFrameFormat(frame) else {
            throw ValidationError("--frame \(frame): expected data bits 5-9, parity N/E/O/M/S and stop bits 1/1.5/2, e.g. 8N1")
        }
        if let baud {
            guard (1...LineRate.maximumBaud).contains(baud) else {
                throw ValidationError("--baud \(baud): must be 1...\(LineRate.maximumBaud)")
            }
            configuration.rate = LineRate(baud: baud, format: format)
        } else if frame.uppercased() != "8N1" {
            throw ValidationError("--frame needs --baud (an unpaced line has no character timing)")
        }
        if let faults {
            do {
                configuration.faults = try FaultConfiguration(parsing: faults)
            } catch {
                throw ValidationError("--faults: \(error)")
            }
        }
        if let raw {
            // The raw capture is written as a file (created anew): a stream would be replaced by one, so say so.
            var info = stat()
            if raw == "-" || (stat(raw, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG) {
                throw ValidationError("--raw \(raw): the raw capture goes to a regular file; stream pcapng with --capture")
            }
        }
        configuration.rawCapturePath = raw
        configuration.packetCapturePath = capture
        configuration.packetFormat = captureFormat
        return configuration
    }
}
