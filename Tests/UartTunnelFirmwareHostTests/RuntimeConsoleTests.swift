import Foundation
import Testing
import UartTunnelSystem
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// `--console HOST:PORT`: the firmware's UART0 (ESP_LOG lines and printf) on TCP like QEMU's -serial tcp::5555.
@Suite(.ownThreads) struct RuntimeConsoleTests {
    /// Reads what the console sends until `text` arrived (bounded by `timeout`); returns all of it.
    private func read(_ client: Descriptor, until text: String, timeout: Duration) throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = ContinuousClock.now + timeout
        while !String(decoding: received, as: UTF8.self).contains(text), case let left = deadline - .now, left > .zero {
            guard try client.waitReadable(timeout: left) else { break }
            let count = try client.read(into: &buffer)
            if count == 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func aLateClientSeesTheBootAndStaysAttachedAcrossEspRestart() throws {
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter],
                                               extra: ["--console", "127.0.0.1:0"])
        defer { _ = device.child.terminate() }
        let console = try RuntimeFixtures.consoleAddress(of: device)
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 1"))

        // Attached after the boot: the last 16 KiB come first, ESP_LOG lines and printf output alike.
        let client = try TCPSocket.connect(to: console)
        defer { client.close() }
        let boot = try read(client, until: "printf says boot 1", timeout: .seconds(10))
        #expect(boot.contains("I (") && boot.contains(") boot: boot 1 reason ESP_RST_POWERON\n"), "\(boot)")
        #expect(boot.contains("printf says boot 1\n"), "\(boot)")

        // A chip reset keeps the console connection: the ROM line, then the second boot.
        try peer.send(raw: [UInt8(ascii: "R")])
        let second = try read(client, until: "printf says boot 2", timeout: .seconds(90))  // a compile under load
        #expect(second.contains(RuntimeFixtures.softwareReset + "\n"), "\(second)")
        #expect(second.contains("boot: boot 2 reason ESP_RST_SW"), "\(second)")
    }

    /// A client that never reads costs it output, never the firmware its progress: 3000 log lines (≈270 KB)
    /// logged while such a client is attached all reach stderr, the firmware answers afterwards, and the device
    /// counts what it dropped for that client.
    @Test func aClientThatDoesNotReadNeverBlocksTheFirmware() throws {
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter],
                                               extra: ["--console", "127.0.0.1:0"])
        defer { _ = device.child.terminate() }
        let console = try RuntimeFixtures.consoleAddress(of: device)
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 1"))
        let stalled = try TCPSocket.connect(to: console, receiveBufferBytes: 4096)
        #expect(device.child.waitForOutput(containing: "UART0 console: client", timeout: .seconds(10)))

        try peer.send(raw: [UInt8(ascii: "F")])
        let answered = try peer.receiveFrame(within: .seconds(30)) { RuntimeFixtures.answer($0) == "flooded 1" }
        #expect(answered != nil, "the firmware stalled behind the console: \(device.output.suffix(500))")
        #expect(device.output.contains("flood line 2999"))
        stalled.close()
        #expect(device.child.waitForOutput(containing: "bytes dropped while it did not read", timeout: .seconds(10)),
                "\(device.output.suffix(800))")
    }
}
