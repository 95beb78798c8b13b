import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport
import UartTunnelWire

/// What a user sees from the CLI where it used to mislead: no check passes without an answer, the README's parity
/// command line parses, help and parser agree, captures stream into pipes, runtime errors are one line.
@Suite(.ownThreads) struct CLIBehaviourTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    /// A loopback port nothing listens on (bound, learnt, closed).
    static func freePort() throws -> UInt16 {
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        return try TCPSocket.localAddress(of: listener).port
    }

    static func lines(_ output: String) -> [Substring] {
        output.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    // MARK: 1. no false pass

    @Test func checkDeviceAgainstNothingListeningFailsAtItsStartAndPassesNothing() throws {
        let port = try Self.freePort()
        let (status, output) = try ChildProcess.run([Self.tool, "check", "device", "--connect", "127.0.0.1:\(port)"])
        #expect(status == 1, "\(output)")
        #expect(output.contains(
            "device  device accepts a connection on 127.0.0.1:\(port)  fail            "
                + "connect(127.0.0.1:\(port)): Connection refused (errno 111)"), "\(output)")
        #expect(output.contains("0 passed, 1 failed"), "\(output)")
        #expect(!output.contains("no ARP request for the gateway"), "\(output)")
        #expect(!output.contains("[PASS]"), "\(output)")
    }

    // MARK: 2. parity's --a/--b

    /// The README's spelling, `--a "--driver swift" --b "…"`: values that start with `--` are taken as values.
    @Test func parityTakesTheREADMEsSpellingOfItsDeviceArguments() throws {
        let (status, output) = try ChildProcess.run(
            [Self.tool, "check", "parity", "--a", "--driver swift", "--b", "--driver swift"], timeout: .seconds(120))
        #expect(!output.contains("Missing value"), "\(output)")
        #expect(status == 0, "\(output)")
        #expect(output.contains(/\d+ passed, 0 failed/), "\(output)")
    }

    /// The value is split like a shell splits words: a quoted path with a space reaches the device whole.
    @Test func parityKeepsAQuotedPathWithASpaceWhole() throws {
        let (status, output) = try ChildProcess.run(
            [Self.tool, "check", "parity", "--a", "--driver swift",
             "--b", "--driver '/nonexistent/my drivers/drv.c' --status-port 0"], timeout: .seconds(60))
        #expect(status == 1, "\(output)")
        #expect(output.contains("cannot start the device: --driver /nonexistent/my drivers/drv.c: no such file"),
                "\(output)")
    }

    @Test func anUnterminatedQuoteInParityArgumentsIsAUsageError() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "check", "parity", "--a", "--driver 'swift"])
        #expect(status == 2, "\(output)")
        #expect(output.hasPrefix("Error: --a --driver 'swift: unterminated ' quote\n"), "\(output)")
    }

    // MARK: 3. decode --direction

    @Test func decodeDirectionHelpListsWhatTheParserTakes() throws {
        let help = try ChildProcess.run([Self.tool, "decode", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--direction <direction> Direction of a --plain dump. (default: tx)"), "\(help.output)")
        #expect(help.output.contains(/\n\s+rx\s+- peer → device/), "\(help.output)")
        #expect(help.output.contains(/\n\s+tx\s+- device → peer/), "\(help.output)")
        #expect(!help.output.contains("values: 0, 1"), "\(help.output)")

        let wrong = try ChildProcess.run([Self.tool, "decode", "x", "--plain", "--direction", "0"])
        #expect(wrong.status == 2)
        #expect(wrong.output.contains("Please provide one of 'rx' and 'tx'."), "\(wrong.output)")

        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: dump) }
        try Data(RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 1))).write(to: URL(fileURLWithPath: dump))
        let rx = try ChildProcess.run([Self.tool, "decode", dump, "--plain", "--direction", "rx"])
        #expect(rx.status == 0, "\(rx.output)")
        #expect(rx.output.contains("plain RX byte dump"), "\(rx.output)")
        #expect(rx.output.contains(#/\nRX +100 +1 +98 /#), "one 98-byte frame decoded as RX:\n\(rx.output)")
    }

    // MARK: 5. runtime errors and --version

    @Test func aPortInUseIsOneLineWithTheErrnoTextAndNoUsage() throws {
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let port = try TCPSocket.localAddress(of: listener).port
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:\(port)"])
        #expect(status == 1, "\(output)")
        #expect(Self.lines(output).count == 1, "\(output)")
        #expect(output.hasSuffix(
            "uart_tunnel: cannot start the device: bind(127.0.0.1:\(port)): Address already in use (errno 98)\n"),
            "\(output)")
        #expect(!output.contains("Usage"), "\(output)")
    }

    @Test func aCapturePathThatCannotBeOpenedIsOneLineWithTheErrnoText() throws {
        let (status, output) = try ChildProcess.run(
            [Self.tool, "device", "--listen", "127.0.0.1:0", "--capture", "/nonexistent/dir/uart1.pcapng"])
        #expect(status == 1, "\(output)")
        #expect(Self.lines(output).count == 1, "\(output)")
        #expect(output.hasSuffix("cannot start the device: --capture /nonexistent/dir/uart1.pcapng: "
            + "No such file or directory (errno 2)\n"), "\(output)")
        #expect(!output.contains("Usage"), "\(output)")
    }

    @Test func decodeOfAMissingFileIsOneLineWithTheErrnoText() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "decode", "/nonexistent/uart1.bin"])
        #expect(status == 1, "\(output)")
        #expect(output == "Error: cannot read /nonexistent/uart1.bin: No such file or directory (errno 2)\n", "\(output)")
    }

    @Test func aMistakeInTheCommandLineShowsTheSubcommandsUsageNotTheRoots() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--listen", "nowhere"])
        #expect(status == 2, "\(output)")
        #expect(output.contains("Usage: uart-tunnel device"), "\(output)")
    }

    @Test func versionPrintsTheToolVersion() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "--version"])
        #expect(status == 0, "\(output)")
        #expect(output.contains(/^\d+\.\d+\.\d+\n$/), "\(output)")
    }
}
