import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import UartTunnelLink
import UartTunnelSystem

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

    @Option(help: ArgumentHelp("Write every byte crossing the UART, both directions, timestamped, to FILE as pcapng, "
                               + "beside the decoded frames (`uart-tunnel decode FILE` reads it).",
                               discussion: "One file for Wireshark: interface uart1-bytes (LINKTYPE_USER0) holds the "
                               + "bytes as they crossed, direction in the EPB flags; interface uart1 the frames "
                               + "--capture would hold. `-` and a FIFO are streamed into, as for --capture.",
                               valueName: "file|-|fifo"))
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

    @Option(help: ArgumentHelp("Stream what --raw holds (pcapng: UART bytes and decoded frames) live to every client "
                               + "that connects to HOST:PORT, from the moment it connects; loopback only.",
                               discussion: "Wireshark attaches with `uart-tunnel extcap` (see the README), or "
                               + "`nc HOST PORT | tshark -r -`. The device never waits for a tap client.",
                               valueName: "host:port"))
    var tap: String?

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
        if let raw, raw == capture {
            throw ValidationError("--raw and --capture name the same \(raw == "-" ? "standard output" : "file \(raw)"): "
                                  + "--raw holds the decoded frames too, so --capture is not needed beside it")
        }
        if let tap {
            let address: SocketAddress
            do {
                address = try SocketAddress(parsing: tap)
            } catch {
                throw ValidationError("--tap \(error)")
            }
            // Anyone who can connect reads the tunnel's traffic: there is no authentication, so loopback only.
            guard address.host.hasPrefix("127.") else {
                throw ValidationError("--tap \(tap): the tap has no authentication, so it listens on loopback only (127.0.0.0/8)")
            }
            configuration.tapAddress = address
        }
        configuration.rawCapturePath = raw
        configuration.packetCapturePath = capture
        configuration.packetFormat = captureFormat
        return configuration
    }
}
