import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport

private var installedTshark: String? {
    ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// `--capture FIFO` and `--capture -` stream pcapng to a live reader: tshark prints each packet while the device is
/// still running, the FIFO stays a FIFO, and no file named `-` appears.
@Suite(.ownThreads, .serialized, .enabled(if: installedTshark != nil, "tshark is not installed"))
struct LiveCaptureTests {
    static var tool: String { BuiltExecutable.uartTunnel }
    static var tshark: String? { installedTshark }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func isFIFO(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO
    }

    /// Polls `read()` until it contains `text` (bounded).
    static func waitFor(_ text: String, in read: () -> String, timeout: Duration = .seconds(20)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if read().contains(text) { return true }
            usleep(50_000)
        }
        return read().contains(text)
    }

    /// Pings the device once through a peer of its UART and checks the reply came back.
    static func ping(_ address: SocketAddress) throws {
        let peer = try DevicePeer(connectingTo: address)
        let reply = try peer.ping(identifier: 0xCAFE, sequence: 7)
        #expect(reply != nil, "the device did not answer the ping")
    }

    @Test func aFIFOIsStreamedIntoAndTsharkReadsEachPacketAsItArrives() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("uart1.pcapng").path
        #expect(mkfifo(fifo, 0o600) == 0)

        // tshark reads the FIFO as its standard input (`tshark -r -`), as `wireshark -k -i FIFO` would.
        let reader = try ChildProcess(["/bin/sh", "-c", "exec \"$1\" -l -n -r - < \"$0\"", fifo, Self.tshark!])
        defer { reader.terminate() }
        let device = try ChildDevice(tool: Self.tool, arguments: ["--capture", fifo], startTimeout: .seconds(30))
        defer { device.process.terminate() }

        try Self.ping(device.address)
        #expect(Self.waitFor("Echo (ping) reply", in: { reader.output }), "tshark saw:\n\(reader.output)")
        #expect(reader.output.contains("Echo (ping) request"), "\(reader.output)")
        #expect(device.process.isRunning, "the packets were read while the device ran, not at its end")
        #expect(Self.isFIFO(fifo), "the FIFO was replaced")

        device.process.terminate()
        #expect(reader.wait(timeout: .seconds(10)) == 0, "tshark ends cleanly at the end of the stream:\n\(reader.output)")
        #expect(!reader.output.contains("appears to have been cut short"), "\(reader.output)")
        #expect(Self.isFIFO(fifo))
    }

    @Test func dashStreamsToStandardOutputAndCreatesNoFileNamedDash() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // device --capture - 2>device.log | tshark -l -n -r -   (in `directory`; the inner sh execs the device, so
        // device.pid is the device's own pid. No `wait` builtin: it needs SIGCHLD, which a test thread blocks.)
        let script = """
            cd "$2" && sh -c 'echo $$ >device.pid; exec "$0" device --listen 127.0.0.1:0 --log-level info \
            --capture - 2>device.log' "$0" | "$1" -l -n -r -
            """
        let pipeline = try ChildProcess(["/bin/sh", "-c", script, Self.tool, Self.tshark!, directory.path])
        let read = { (name: String) in
            (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        defer {
            if pipeline.isRunning, let pid = Int32(read("device.pid").trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
            pipeline.terminate()
        }
        #expect(Self.waitFor("tunnel listening on ", in: { read("device.log") }), "\(read("device.log"))")
        let log = read("device.log")
        let marker = try #require(log.range(of: "tunnel listening on "))
        let address = try SocketAddress(parsing: String(log[marker.upperBound...].prefix { $0 != ";" }))
        let pid = try #require(Int32(read("device.pid").trimmingCharacters(in: .whitespacesAndNewlines)))

        try Self.ping(address)
        #expect(Self.waitFor("Echo (ping) reply", in: { pipeline.output }),
                "tshark saw:\n\(pipeline.output)\ndevice:\n\(read("device.log"))")
        #expect(kill(pid, 0) == 0, "the packets were read while the device ran")

        kill(pid, SIGTERM)
        #expect(pipeline.wait(timeout: .seconds(10)) == 0, "tshark ends cleanly at the end of the stream:\n\(pipeline.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("-").path),
                "--capture - created a file named '-'")
        #expect(!read("device.log").contains("uart1"), "pcapng went to stderr")
    }
}
