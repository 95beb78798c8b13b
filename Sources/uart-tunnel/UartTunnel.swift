import ArgumentParser
import Foundation

@main
struct UartTunnel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uart-tunnel",
        abstract: "Test an ESP32 UART IP tunnel without QEMU: the real lwIP, the host bridge, conformance checks.",
        discussion: """
            The wire format is the seed firmware's: each Ethernet frame (14...1518 bytes) goes over UART1 behind \
            a 2-byte big-endian length. `device` stands in for the ESP32 (QEMU's UART1 chardev on TCP 5556) with \
            Debian's liblwip as 192.168.100.2; `bridge` connects it to a TAP/TUN interface 192.168.100.1/24.

            Exit status: 0 success (every check passed), 1 failure (a check failed, a runtime error), 2 a mistake \
            in the command line, 77 every check skipped (`check`), 130/143 ended by SIGINT/SIGTERM (`check`); \
            `device --timeout` and `--expect-text`/`--fail-text` have their own (see `device --help`).
            """,
        version: uartTunnelVersion,
        subcommands: [DeviceCommand.self, BridgeCommand.self, CheckCommand.self, BenchCommand.self, DecodeCommand.self,
                      AuditCommand.self, ExtcapCommand.self, RadioCommand.self, FuzzCommand.self]
    )

    /// ArgumentParser's own `main`, except that a mistake in the command line exits 2 (as getopt tools and
    /// POSIX utilities do, and what CI scripts test for) rather than its default 64 (EX_USAGE).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(usageExitCode)
            }
            exit(withError: error)
        }
    }
}

/// The exit status of a command line that could not be parsed or validated.
let usageExitCode: Int32 = 2
