import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport

private var tsharkPath: String? {
    ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// `uart-tunnel extcap` answers Wireshark's extcap questions, and Wireshark's own capture machinery (tshark and
/// dumpcap, the extcap installed with `--install` in a private HOME) captures a running device's `--tap`.
@Suite(.ownThreads, .serialized)
struct ExtcapTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    @Test func answersTheExtcapQuestionsAsWiresharkAsksThem() throws {
        let interfaces = try ChildProcess.run([Self.tool, "extcap", "--extcap-interfaces", "--extcap-version=4.0"])
        #expect(interfaces.status == 0)
        #expect(interfaces.output.contains("extcap {version="), "\(interfaces.output)")
        #expect(interfaces.output.contains("interface {value=uart-tunnel}{display="), "\(interfaces.output)")
        let dlts = try ChildProcess.run([Self.tool, "extcap", "--extcap-interface", "uart-tunnel", "--extcap-dlts"])
        #expect(dlts.status == 0 && dlts.output.hasPrefix("dlt {number=1}{name=EN10MB}"), "\(dlts.output)")
        let config = try ChildProcess.run([Self.tool, "extcap", "--extcap-interface", "uart-tunnel", "--extcap-config"])
        #expect(config.status == 0 && config.output.contains("{call=--tap}") && config.output.contains("{type=string}"),
                "\(config.output)")
        let unknown = try ChildProcess.run([Self.tool, "extcap", "--extcap-interface", "eth0", "--extcap-dlts"])
        #expect(unknown.status == 2 && unknown.output.contains("one interface, uart-tunnel"), "\(unknown.output)")
    }

    @Test func aCaptureWithNoTapSaysHowToStartOne() throws {
        let run = try ChildProcess.run([Self.tool, "extcap", "--extcap-interface", "uart-tunnel", "--capture",
                                        "--fifo", "/nonexistent/fifo", "--tap", "127.0.0.1:1"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("no capture tap at 127.0.0.1:1") && run.output.contains("--tap 127.0.0.1:1"),
                "\(run.output)")
    }

    @Test func theTapIsLoopbackOnly() throws {
        let run = try ChildProcess.run([Self.tool, "device", "--tap", "0.0.0.0:5557"])
        #expect(run.status == 64 || run.status == 2, "\(run.output)")
        #expect(run.output.contains("loopback only"), "\(run.output)")
    }

    /// The tap's address from the device's log (it asked for port 0).
    static func tapAddress(_ device: ChildDevice) throws -> String {
        let marker = "capture tap listening on "
        try #require(device.process.waitForOutput(containing: marker, timeout: .seconds(20)), "\(device.process.output)")
        let output = device.process.output
        let range = try #require(output.range(of: marker))
        return String(output[range.upperBound...].prefix { $0 != " " && $0 != "\n" })
    }

    @Test(.enabled(if: tsharkPath != nil, "tshark is not installed (scripts/install-deps installs it)"))
    func wiresharkListsAndCapturesTheTunnelThroughTheExtcap() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("extcap-home-\(UUID().uuidString)").path
        let capture = home + "/capture.pcapng"
        defer { try? FileManager.default.removeItem(atPath: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        let install = try ChildProcess([Self.tool, "extcap", "--install"], environment: environment)
        #expect(install.wait(timeout: .seconds(20)) == 0, "\(install.output)")
        #expect(FileManager.default.isExecutableFile(atPath: home + "/.config/wireshark/extcap/uart-tunnel"))

        let list = try ChildProcess([tsharkPath!, "-D"], environment: environment)
        #expect(list.wait(timeout: .seconds(60)) == 0)
        #expect(list.output.contains("uart-tunnel (ESP32 UART1 tunnel)"), "Wireshark did not list the extcap:\n\(list.output)")

        let device = try ChildDevice(tool: Self.tool, arguments: ["--http-port", "8080", "--tap", "127.0.0.1:0"])
        defer { _ = device.process.terminate() }
        let tap = try Self.tapAddress(device)
        // Nine packets: the peer's `connected` note, then per ping the request's bytes and frame, the reply's bytes and frame.
        let shark = try ChildProcess([tsharkPath!, "-i", "uart-tunnel", "-o", "extcap.uart_tunnel.tap:\(tap)", "-c", "9",
                                      "-w", capture], environment: environment)
        defer { _ = shark.terminate() }
        // Causal: the ping goes only after the extcap (run by dumpcap) has connected to the tap.
        try #require(device.process.waitForOutput(containing: "capture tap client", timeout: .seconds(60)),
                     "the extcap never connected:\n\(shark.output)\n\(device.process.output)")
        let peer = try DevicePeer(connectingTo: device.address)
        for sequence in 1...2 {
            try #require(try peer.ping(identifier: 0xE7C, sequence: UInt16(sequence)) != nil)
        }
        #expect(shark.wait(timeout: .seconds(60)) == 0, "\(shark.output)")
        let read = try ChildProcess.run([tsharkPath!, "-r", capture, "-T", "fields", "-E", "separator=|",
                                         "-e", "frame.interface_id", "-e", "icmp.type", "-e", "frame.comment"])
        let rows = read.output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
            .filter { $0.count == 3 }
        #expect(rows.contains { $0[0] == "1" && $0[2].hasPrefix("connected 127.0.0.1:") }, "\(read.output)")
        #expect(rows.filter { $0[0] == "0" && $0[1] == "8" }.count == 2, "two requests decoded: \(read.output)")
        #expect(rows.filter { $0[0] == "0" && $0[1] == "0" }.count == 2, "two replies decoded: \(read.output)")
    }

    @Test(.enabled(if: tsharkPath != nil, "tshark is not installed (scripts/install-deps installs it)"))
    func theExtcapFillsTheFifoWiresharkReadsAndEndsWithTheDevice() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("extcap-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let device = try ChildDevice(tool: Self.tool, arguments: ["--http-port", "8080", "--tap", "127.0.0.1:0"])
        defer { _ = device.process.terminate() }
        let tap = try Self.tapAddress(device)
        let reader = try ChildProcess(["/bin/sh", "-c", "exec \"$1\" -l -n -r - < \"$0\"", fifo, tsharkPath!])
        defer { _ = reader.terminate() }
        let extcap = try ChildProcess([Self.tool, "extcap", "--extcap-interface", "uart-tunnel", "--capture",
                                       "--fifo", fifo, "--tap", tap])
        defer { _ = extcap.terminate() }
        try #require(device.process.waitForOutput(containing: "capture tap client", timeout: .seconds(30)))
        let peer = try DevicePeer(connectingTo: device.address)
        try #require(try peer.ping(identifier: 0xE7D, sequence: 1) != nil)
        #expect(reader.waitForOutput(containing: "Echo (ping) reply", timeout: .seconds(30)), "\(reader.output)")
        _ = device.process.terminate()
        #expect(extcap.wait(timeout: .seconds(20)) == 0, "the extcap ends when the device does: \(extcap.output)")
        #expect(reader.wait(timeout: .seconds(20)) == 0, "\(reader.output)")
    }
}
