import Glibc
import Testing
import UartTunnelSystem
import UartTunnelTestSupport

/// `SerialPort` and `PseudoTerminal` against the kernel's real pty driver: what termios2 stored is read back
/// (TCGETS2, TIOCGEXCL), bytes cross unchanged, and the master sees openers come and go.
@Suite(.ownThreads) struct SerialPortTests {
    /// Rates in and outside the Bxxx table (250000 and 1234567 exist only through BOTHER), stop bits, RTS/CTS. The
    /// pty driver keeps those but forces 8 data bits and no parity (drivers/tty/pty.c, pty_set_termios): what
    /// the port reads back is what a bridge reports, so the test expects the driver's own rule.
    @Test(arguments: [
        SerialPort.Settings(baud: 115200),
        SerialPort.Settings(baud: 250000, dataBits: 7, parity: .even, stopBits: 2),
        SerialPort.Settings(baud: 921600, parity: .odd, rtscts: true),
        SerialPort.Settings(baud: 3_000_000, parity: .mark),
        SerialPort.Settings(baud: 1_234_567, dataBits: 5, parity: .space),
    ])
    func settingsAreWhatTheDriverStored(settings: SerialPort.Settings) throws {
        let pty = try PseudoTerminal.open()
        defer { pty.close() }
        let port = try SerialPort.open(pty.slavePath, settings: settings)
        defer { port.close() }
        let stored = try port.settings()
        var expected = settings
        expected.dataBits = 8
        expected.parity = .none
        #expect(stored.settings == expected)
        #expect(stored.inputBaud == settings.baud)
        #expect(stored.raw)
        #expect(try port.isExclusive())
    }

    /// Raw mode: every byte value crosses both ways unchanged (no CR/LF mapping, no echo, no ^C, ^S/^Q, ^D).
    @Test func everyByteValueCrossesUnchanged() throws {
        let pty = try PseudoTerminal.open()
        defer { pty.close() }
        let port = try SerialPort.open(pty.slavePath, settings: SerialPort.Settings(baud: 921600))
        defer { port.close() }
        let bytes = (0..<4).flatMap { _ in (0...255).map(UInt8.init) }
        try pty.master.writeAll(bytes)
        #expect(try readExactly(bytes.count, from: port.descriptor) == bytes)
        try port.descriptor.writeAll(bytes)
        #expect(try readExactly(bytes.count, from: pty.master) == bytes)
        // Nothing echoed back to the writer.
        #expect(try !port.descriptor.waitReadable(timeout: .zero))
    }

    @Test func openersComeAndGo() throws {
        let pty = try PseudoTerminal.open()
        defer { pty.close() }
        #expect(try !pty.hasOpener())
        let first = try SerialPort.open(pty.slavePath, settings: SerialPort.Settings(baud: 115200))
        #expect(try pty.hasOpener())
        first.close()
        #expect(try !pty.hasOpener())
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: SystemError.self) { _ = try pty.master.read(into: &buffer) }  // EIO: nobody there
        let second = try SerialPort.open(pty.slavePath, settings: SerialPort.Settings(baud: 115200))
        defer { second.close() }
        #expect(try pty.hasOpener())
    }

    @Test func badPortsAreNamed() throws {
        #expect(throws: SerialPortError.notATerminal(path: "/dev/null")) {
            try SerialPort.open("/dev/null", settings: SerialPort.Settings(baud: 115200))
        }
        let missing = "/dev/ttyUSB-uart-tunnel-missing"
        do {
            _ = try SerialPort.open(missing, settings: SerialPort.Settings(baud: 115200))
            Issue.record("opened \(missing)")
        } catch {
            #expect(error.isAbsent)
            #expect(error.description.contains("plugged in"))
        }
        let nine = SerialPort.Settings(baud: 115200, dataBits: 9)
        #expect(throws: SerialPortError.unsupported(path: "/dev/null", settings: nine)) {
            try SerialPort.open("/dev/null", settings: nine)
        }
    }

    @Test func symlinkFollowsThePtyAndIsRemovedOnlyIfOurs() throws {
        let pty = try PseudoTerminal.open()
        defer { pty.close() }
        let path = "/tmp/uart-tunnel-serial-test-\(getpid())"
        try PseudoTerminal.link(path, to: pty.slavePath)
        let port = try SerialPort.open(path, settings: SerialPort.Settings(baud: 115200))
        #expect(try pty.hasOpener())
        port.close()
        PseudoTerminal.removeLink(path, ifPointingAt: "/dev/pts/elsewhere")
        #expect(access(path, F_OK) == 0 || errno != ENOENT)
        var info = stat()
        #expect(lstat(path, &info) == 0)
        PseudoTerminal.removeLink(path, ifPointingAt: pty.slavePath)
        #expect(lstat(path, &info) != 0)
    }

    private func readExactly(_ count: Int, from descriptor: Descriptor) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while out.count < count {
            guard try descriptor.waitReadable(timeout: .seconds(5)) else { break }
            let n = try descriptor.read(into: &buffer)
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }
}
