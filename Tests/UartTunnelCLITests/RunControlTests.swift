import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport
import UartTunnelWire

/// `device` run control as CI uses it: --timeout and its exit status, --expect-text/--fail-text on the console,
/// --ready-file, --wait-for-peer; and ESP-IDF's log letters. Each ends by the event it names, on loopback.
@Suite(.ownThreads) struct RunControlTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ut-run-\(UUID().uuidString)-\(name)").path
    }

    @Test func timeoutEndsWithWokwisDefaultOrTheGivenStatus() throws {
        let plain = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0", "--timeout", "0.5"])
        #expect(plain.status == 42, "\(plain.output)")
        #expect(plain.output.contains("timeout reached: exit status 42"), "\(plain.output)")
        let given = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0", "--timeout", "0.5",
                                          "--timeout-exit-code", "7"])
        #expect(given.status == 7, "\(given.output)")
    }

    /// The device's own start-up line is on the console: expected text ends it with 0, fail text with 1.
    @Test func consoleTextEndsTheDevice() throws {
        let expected = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0", "--timeout", "60",
                                             "--expect-text", "tunnel listening on 127\\.0\\.0\\.1:[0-9]+"])
        #expect(expected.status == 0, "\(expected.output)")
        #expect(expected.output.contains("expected text seen: "), "\(expected.output)")
        let failed = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0", "--timeout", "60",
                                           "--fail-text", "PBUF_POOL mismatch"])
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("fail text seen: "), "\(failed.output)")
    }

    @Test func optionsThatNeedAnotherSaySo() throws {
        let result = try ChildProcess.run([Self.tool, "device", "--timeout-exit-code", "3"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--timeout-exit-code needs --timeout"), "\(result.output)")
        let regex = try ChildProcess.run([Self.tool, "device", "--expect-text", "("])
        #expect(regex.status == 2, "\(regex.output)")
        #expect(regex.output.contains("--expect-text (: not a regular expression"), "\(regex.output)")
    }

    /// The ready file holds the endpoint the device listens on (a peer can connect to it), and goes when it ends.
    @Test func readyFileNamesTheEndpointAndIsRemoved() throws {
        let ready = Self.temporaryPath("ready")
        let device = try ChildProcess([Self.tool, "device", "--listen", "127.0.0.1:0", "--ready-file", ready])
        #expect(device.waitForOutput(containing: "uart-tunnel device ready: UART1 on 127.0.0.1:", timeout: .seconds(30)),
                "\(device.output)")
        let text = try String(contentsOfFile: ready, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let peer = try TCPSocket.connect(to: SocketAddress(parsing: text), timeout: .seconds(5))
        peer.close()
        #expect(device.terminate() == 0, "\(device.output)")
        #expect(!FileManager.default.fileExists(atPath: ready))
    }

    /// Without the flag the firmware's link-up gratuitous ARP (esp_netif up in its app_main) goes out before
    /// anyone listens (counted "without peer"); with it the firmware starts once the peer is there, so that ARP
    /// is the first record the peer reads.
    @Test func waitForPeerStartsTheFirmwareOnlyOnceThePeerIsThere() throws {
        let ready = Self.temporaryPath("ready")
        let device = try ChildProcess([Self.tool, "device", "--listen", "127.0.0.1:0", "--wait-for-peer",
                                       "--ready-file", ready, "--log-level", "info", "--driver", "firmware",
                                       "--status-port", "0"])
        defer { device.terminate() }
        #expect(device.waitForOutput(containing: "before starting (--wait-for-peer)", timeout: .seconds(120)),
                "\(device.output)")
        #expect(!device.output.contains("tunnel listening on"), "started before a peer: \(device.output)")
        let endpoint = try String(contentsOfFile: ready, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let peer = try TCPSocket.connect(to: SocketAddress(parsing: endpoint), timeout: .seconds(5))
        defer { peer.close() }
        var decoder = RecordDecoder()
        var frames: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(10)
        while frames.isEmpty && ContinuousClock.now < deadline {
            guard try peer.waitReadable(timeout: .seconds(1)) else { continue }
            let count = try peer.read(into: &buffer)
            if count == 0 { break }
            decoder.feed(buffer[..<count], now: .now) { event in
                if case .frame(let frame) = event { frames.append(frame) }
            }
        }
        let first = try #require(frames.first, "no record reached the peer: \(device.output)")
        #expect(first.count >= 14 && first[12] == 0x08 && first[13] == 0x06, "first record is ARP: \(first.prefix(14))")
        #expect(device.terminate() == 0)
        #expect(device.output.contains("without peer 0"), "\(device.output)")
    }

    @Test(arguments: ["E", "W", "I", "D", "V", "none", "warn"])
    func logLevelTakesEspIdfLetters(_ level: String) throws {
        let result = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0", "--timeout", "0.3",
                                           "--log-level", level])
        #expect(result.status == 42, "\(result.output)")
        let infoShown = result.output.contains("I (")
        #expect(infoShown == ["I", "D", "V"].contains(level), "\(level): \(result.output)")
    }
}
