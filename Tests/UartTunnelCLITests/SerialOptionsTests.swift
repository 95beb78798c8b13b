import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport

/// The serial, pty and jumbo options as a user meets them: bad values are one clear line and a non-zero exit before
/// anything opens, and `audit` reports the firmware's tunnel Kconfig (rate, max frame, the matching flags).
@Suite(.ownThreads) struct SerialOptionsTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    @Test(arguments: [
        (["bridge", "--serial", "/dev/ttyUSB0", "--frame", "9N1"], "Linux serial ports take 5-8 data bits"),
        (["bridge", "--serial", "/dev/ttyUSB0", "--frame", "8N1.5"], "1 or 2 stop bits"),
        (["bridge", "--serial", "/dev/ttyUSB0", "--flow", "xonxoff"], "--flow"),
        (["bridge", "--max-frame", "20000"], "--max-frame must be in 1518...9018"),
        (["bridge", "--max-frame", "9018", "--mtu", "9005"], "--mtu must be in 68...9004"),
        (["device", "--max-frame", "1000"], "--max-frame must be in 1518...9018"),
        (["device", "--pty-link", "/tmp/x"], "--pty-link needs --pty"),
        (["check", "device", "--max-frame", "65535"], "--max-frame must be in 1518...9018"),
    ])
    func badValuesAreOneClearLine(arguments: [String], message: String) throws {
        let (status, output) = try ChildProcess.run([Self.tool] + arguments)
        #expect(status != 0, "\(output)")
        #expect(output.contains(message), "\(output)")
    }

    @Test func helpExplainsTheSerialModes() throws {
        let bridge = try ChildProcess.run([Self.tool, "bridge", "--help"]).output
        for text in ["--serial", "--baud", "--frame", "--flow", "--max-frame", "TIOCEXCL", "termios2"] {
            #expect(bridge.contains(text), "bridge --help lacks \(text)")
        }
        let device = try ChildProcess.run([Self.tool, "device", "--help"]).output
        for text in ["--pty", "--pty-link", "--max-frame"] { #expect(device.contains(text), "device --help lacks \(text)") }
    }

    @Test func auditReportsTheTunnelKconfig() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sdkconfig-serial-\(getpid())").path
        try "CONFIG_NETIF_UART_TUNNEL_BAUD_RATE=921600\nCONFIG_UART_TUNNEL_MAX_FRAME=9018\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try ChildProcess.run([Self.tool, "audit", "--no-probe", "--sdkconfig", path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("921600 baud 8N1 = 92160 B/s; max frame 9018 (lwIP MTU 9000)"), "\(output)")
        #expect(output.contains("uart-tunnel bridge --serial /dev/ttyUSB0 --baud 921600 --max-frame 9018"), "\(output)")
        // 9020 bytes at 92160 B/s.
        #expect(output.contains("crosses in 97.87 ms"), "\(output)")
    }
}
