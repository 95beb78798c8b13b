import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport

/// The tunnel over a serial line with no hardware: `uart-tunnel device --pty` (the board's UART as a pty) and a
/// bridge in `--serial` mode, ours and the seed's Python one, in a private network namespace with the real
/// kernel, ping and curl. The pty is the USB-serial adapter: the bridge closing it is a peer leaving, the device
/// ending is the adapter unplugged (its path disappears), a new device under the same `--pty-link` is the replug.
@Suite(.ownThreads, .enabled(if: NetworkNamespace.unavailableReason == nil,
                             "serial tunnel tests need root: \(NetworkNamespace.unavailableReason ?? "")"))
struct SerialTunnelTests {
    enum BridgeKind: String, CaseIterable, CustomTestStringConvertible {
        case swift, python

        func command(serial: String, maxFrame: Int = 1518) -> [String] {
            switch self {
            case .swift:
                [BuiltExecutable.uartTunnel, "bridge", "--serial", serial, "--baud", "921600",
                 "--max-frame", "\(maxFrame)", "--ifname", "tun0"]
            case .python:
                ["python3", BridgeSuiteTests.repository.appendingPathComponent("firmware/tools/serial_tun_bridge.py").path,
                 "--serial", serial, "--baud", "921600", "--max-frame", "\(maxFrame)", "--ifname", "tun0"]
            }
        }

        /// What each bridge logs once the port is open, and once it is open again after a loss.
        var connected: String { self == .swift ? "connected to device" : "bridging tun0" }
        var resumed: String { self == .swift ? "is back after" : "reconnected to" }
        var testDescription: String { rawValue }
    }

    struct Setup {
        let namespace: NetworkNamespace
        let link: String

        init(tag: String) throws {
            namespace = try NetworkNamespace(tag: tag)
            link = FileManager.default.temporaryDirectory.appendingPathComponent("uart-tunnel-\(namespace.name).pty").path
        }

        func device(_ extra: [String] = []) throws -> ChildProcess {
            let device = try namespace.start([BuiltExecutable.uartTunnel, "device", "--pty", "--pty-link", link] + extra)
            try #require(device.waitForOutput(containing: "UART1 pty: /dev/pts/", timeout: .seconds(15)), "\(device.output)")
            return device
        }

        func bridge(_ kind: BridgeKind, maxFrame: Int = 1518) throws -> ChildProcess {
            let bridge = try namespace.start(kind.command(serial: link, maxFrame: maxFrame))
            try #require(bridge.waitForOutput(containing: kind.connected, timeout: .seconds(15)), "\(bridge.output)")
            return bridge
        }

        func ping(_ arguments: [String] = []) throws -> PingOutput {
            PingOutput(try namespace.run(["ping", "-c", "5", "-i", "0.2", "-W", "10"] + arguments + ["192.168.100.2"],
                                         timeout: .seconds(60)).output)
        }

        func status() throws -> String {
            try namespace.run(["curl", "-s", "-m", "5", "http://192.168.100.2/api/status"]).output
        }

        func ifindex() throws -> String {
            try namespace.run(["cat", "/sys/class/net/tun0/ifindex"]).output
        }
    }

    @Test(arguments: BridgeKind.allCases)
    func pingCurlThenUnplugAndReplug(kind: BridgeKind) throws {
        let setup = try Setup(tag: "serial")
        let device = try setup.device()
        defer { device.terminate() }
        var bridge = try setup.bridge(kind)
        defer { bridge.terminate() }

        var ping = try setup.ping()
        #expect(ping.lossPercent == 0, "\(ping.text)\n\(bridge.output)")
        #expect(try setup.status().contains("\"connections\":1"))

        // The opener goes away and a new one comes: the device stays up and counts a second peer.
        #expect(bridge.terminate() == 0, "\(bridge.output)")
        #expect(device.waitForOutput(containing: "peer disconnected", timeout: .seconds(10)), "\(device.output)")
        #expect(device.isRunning)
        bridge = try setup.bridge(kind)
        ping = try setup.ping()
        #expect(ping.lossPercent == 0, "after the bridge reopened the pty: \(ping.text)")
        #expect(try setup.status().contains("\"connections\":2"))

        // The adapter is unplugged (the pty and its path vanish) and plugged back (a new pty under the same name):
        // the bridge keeps tun0 and resumes by itself.
        let before = try setup.ifindex()
        #expect(device.terminate() == 0)
        #expect(bridge.waitForOutput(containing: "lost", timeout: .seconds(10)), "\(bridge.output)")
        let replugged = try setup.device()
        defer { replugged.terminate() }
        #expect(bridge.waitForOutput(containing: kind.resumed, timeout: .seconds(15)), "\(bridge.output)")
        #expect(try setup.ifindex() == before, "tun0 was replaced")
        ping = try setup.ping()
        #expect(ping.lossPercent == 0, "after the replug: \(ping.text)\n\(bridge.output)")
        #expect(try setup.status().contains("\"connections\":1"))  // the new device's first peer
        #expect(bridge.isRunning)
        #expect(bridge.terminate() == 0, "\(bridge.output)")
        #expect(replugged.terminate() == 0)
        #expect(!FileManager.default.fileExists(atPath: setup.link), "the device left its --pty-link behind")
    }

    /// `--baud` paces the pty as it paces TCP: a 56-byte ping is 100 bytes on the wire each way, so at 115200 8N1
    /// no reply can come back sooner than 2 × 100 × 10 / 115200 s = 17.36 ms (a floor set by the line, not a
    /// timing guess).
    @Test func baudPacingAppliesOnThePty() throws {
        let setup = try Setup(tag: "paced-pty")
        let device = try setup.device(["--baud", "115200"])
        defer { device.terminate() }
        let bridge = try setup.bridge(.swift)
        defer { bridge.terminate() }
        let ping = try setup.ping()
        #expect(ping.lossPercent == 0, "\(ping.text)")
        #expect(ping.rtts.count == 5)
        #expect(ping.rtts.allSatisfy { $0 >= 17.36 }, "a reply faster than the line allows: \(ping.rtts)")
    }

    /// Jumbo frames on every end: `ping -s 8000 -M do` (no fragmentation allowed) through lwIP with a 9000 MTU;
    /// the device's own capture of the UART holds the 8042-byte frames (14 + 20 + 8 + 8000), requests in and
    /// replies out, and tshark on tun0 sees the same packets on the kernel's side (8042-byte frames on our tap,
    /// 8028-byte IP packets on the Python bridge's tun).
    @Test(arguments: BridgeKind.allCases)
    func jumboPingBothWays(kind: BridgeKind) throws {
        let tshark = try #require(["/usr/bin/tshark", "/usr/local/bin/tshark"].first {
            FileManager.default.isExecutableFile(atPath: $0) }, "tshark is not installed")
        let setup = try Setup(tag: "jumbo")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uart-tunnel-\(setup.namespace.name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let uartCapture = directory.appendingPathComponent("uart1.pcapng").path
        let tunCapture = directory.appendingPathComponent("tun0.pcapng").path

        let device = try setup.device(["--max-frame", "9018", "--capture", uartCapture])
        defer { device.terminate() }
        let bridge = try setup.bridge(kind, maxFrame: 9018)
        defer { bridge.terminate() }
        let link = try setup.namespace.run(["ip", "-o", "link", "show", "dev", "tun0"]).output
        #expect(link.contains("mtu 9000"), "\(link)")

        // -P prints each packet as it is written: a small ping that shows up proves the capture is live (tshark says
        // "Capturing on" a moment before dumpcap really is).
        let capture = try setup.namespace.start([tshark, "-i", "tun0", "-l", "-P", "-w", tunCapture])
        defer { capture.terminate() }
        var live = false
        for _ in 0..<40 where !live {
            _ = try setup.namespace.run(["ping", "-c", "1", "-W", "1", "-s", "16", "192.168.100.2"])
            live = capture.waitForOutput(containing: "ICMP", timeout: .milliseconds(500))
        }
        try #require(live, "tshark on tun0 never saw a packet: \(capture.output)")
        let ping = try setup.ping(["-s", "8000", "-M", "do"])
        #expect(ping.lossPercent == 0, "\(ping.text)\n\(bridge.output)")
        #expect(ping.text.contains("8008 bytes from 192.168.100.2"), "\(ping.text)")
        // tshark prints a packet once it is written: stop it only after the 10 jumbo ones (or 10 s).
        let onTun0 = kind == .swift ? "8042" : "8028"
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline,
              capture.output.split(separator: "\n").filter({ $0.contains(" \(onTun0) ") }).count < 10 {
            usleep(50_000)
        }
        capture.terminate()
        #expect(device.terminate() == 0)

        func rows(_ file: String, _ fields: [String]) throws -> [[String]] {
            let result = try ChildProcess.run([tshark, "-r", file, "-Y", "icmp", "-T", "fields"] + fields.flatMap { ["-e", $0] })
            return result.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        }
        let kernel = try rows(tunCapture, ["frame.len", "icmp.type"])
        #expect(kernel.filter { $0 == [onTun0, "8"] }.count == 5, "tun0: \(kernel)")
        #expect(kernel.filter { $0 == [onTun0, "0"] }.count == 5, "tun0: \(kernel)")
        let uart = try rows(uartCapture, ["frame.packet_flags_direction", "frame.len", "icmp.type"])
        let inbound = uart.filter { ["1", "0x00000001"].contains($0[0]) && $0[1] == "8042" && $0[2] == "8" }
        let outbound = uart.filter { ["2", "0x00000002"].contains($0[0]) && $0[1] == "8042" && $0[2] == "0" }
        #expect(inbound.count == 5 && outbound.count == 5, "UART capture: \(uart)")
    }
}
