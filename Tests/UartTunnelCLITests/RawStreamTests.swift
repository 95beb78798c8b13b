import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport

/// `--raw FIFO` streams the raw pcapng (UART bytes and decoded frames) like `--capture` does: opened, never
/// replaced, each block as it is made.
@Suite(.ownThreads, .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark"), "tshark is not installed"))
struct RawStreamTests {
    @Test func aFIFOGetsTheRawCaptureLive() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("raw-stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/uart1-raw.pcapng"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = try ChildProcess(["/bin/sh", "-c", "exec /usr/bin/tshark -l -n -r - -T fields -e frame.interface_id "
                                       + "-e frame.comment -e icmp.type < \"$0\"", fifo])
        defer { _ = reader.terminate() }
        let device = try ChildDevice(tool: BuiltExecutable.uartTunnel, arguments: ["--http-port", "8080", "--raw", fifo])
        defer { _ = device.process.terminate() }
        let peer = try DevicePeer(connectingTo: device.address)
        try #require(try peer.ping(identifier: 0x4A3, sequence: 1) != nil)
        // The reply's decoded frame (interface 0, ICMP type 0) reaches tshark while the device still runs.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !reader.output.contains("0\t\t0") { usleep(50_000) }
        #expect(reader.output.contains("0\t\t0"), "\(reader.output)")
        #expect(reader.output.contains("1\tconnected 127.0.0.1:"), "the byte interface's note: \(reader.output)")
        #expect(device.process.isRunning)
        var info = stat()
        #expect(stat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO was replaced")
        _ = device.process.terminate()
        #expect(reader.wait(timeout: .seconds(20)) == 0, "\(reader.output)")
    }
}
