import ArgumentParser
import UartTunnelWire

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the codec (and, as root, kernel <-> device through a TAP namespace). Build with -c release.",
        discussion: "Prints figures beside the physical model; it passes or fails nothing."
    )

    @Option(help: "Megabytes of 1514-byte-frame records to decode.")
    var megabytes: Int = 256

    func run() throws {
        let result = DecodeBenchmark.run(megabytes: megabytes)
        let rate = Double(result.bytes) / result.seconds / 1e6
        print("decode: \(result.bytes) bytes of 1514-byte frames in \(String(format: "%.3f", result.seconds)) s = "
            + "\(String(format: "%.0f", rate)) MB/s  (a 115200 8N1 UART carries 0.0115 MB/s)")
    }
}
