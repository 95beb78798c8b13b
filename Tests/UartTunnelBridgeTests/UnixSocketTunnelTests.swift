import Foundation
import Testing
import UartTunnelChecks

/// `device --listen unix:PATH` and `bridge --connect unix:PATH` (like QEMU's -serial unix:): the kernel pings the
/// device through the tunnel over the unix socket; the socket file is 0600 while the device runs and gone after.
@Suite(.enabled(if: NetworkNamespace.unavailableReason == nil,
                "unix-socket tunnel test needs root: \(NetworkNamespace.unavailableReason ?? "")"))
struct UnixSocketTunnelTests {
    @Test func theKernelPingsTheDeviceOverAUnixSocketAndTheFileGoesAtExit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ut-unix-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/uart1.sock"
        let namespace = try NetworkNamespace(tag: "unix")
        let device = try namespace.start([BuiltExecutable.uartTunnel, "device", "--listen", "unix:\(path)"])
        defer { _ = device.terminate() }
        try #require(device.waitForOutput(containing: "tunnel listening on unix:\(path)", timeout: .seconds(30)),
                     "\(device.output)")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let bridge = try namespace.start([BuiltExecutable.uartTunnel, "bridge", "--connect", "unix:\(path)",
                                          "--ifname", "tun0"])
        defer { _ = bridge.terminate() }
        try #require(bridge.waitForOutput(containing: "connected to device unix:\(path)", timeout: .seconds(20)),
                     "\(bridge.output)")
        var answered = false
        for _ in 0..<20 where !answered {
            answered = try namespace.run(["ping", "-c", "1", "-W", "1", "192.168.100.2"]).status == 0
        }
        #expect(answered, "ping through the unix socket: \(device.output.suffix(800))\n\(bridge.output.suffix(400))")
        #expect(device.output.contains("peer connected from unix:\(path) (pid "), "\(device.output)")
        _ = bridge.terminate()
        #expect(device.terminate() == 0, "\(device.output)")
        #expect(!FileManager.default.fileExists(atPath: path), "removed at exit")
    }
}
