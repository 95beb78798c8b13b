import Foundation
import Testing
import UartTunnelChecks

/// A local user who binds the device port before the device starts would receive the root bridge's connection and
/// everything the host sends into the tunnel. The bridge checks the owner of the socket that accepted it
/// (/proc/self/net/tcp*) and refuses another user's, before a byte goes either way; `--allow-foreign-device`
/// waives it. (Root-owned devices connecting is what every other bridge test does.)
@Suite(.enabled(if: NetworkNamespace.unavailableReason == nil,
                "device-owner test needs root: \(NetworkNamespace.unavailableReason ?? "")"))
struct DeviceOwnerTests {
    static let squatterUID = 65534  // nobody

    /// A listener on 127.0.0.1:5556 run as `nobody` that reports each connection and how many bytes it received.
    static func squatter(in namespace: NetworkNamespace) throws -> ChildProcess {
        let script = """
            import socket, sys
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 5556)); s.listen(4); print("listening", flush=True)
            while True:
                c, _ = s.accept(); print("accepted", flush=True); n = 0
                while True:
                    d = c.recv(65536)
                    if not d: break
                    n += len(d)
                print("closed after", n, "bytes", flush=True)
            """
        let child = try namespace.start(["setpriv", "--reuid=\(squatterUID)", "--regid=\(squatterUID)", "--clear-groups",
                                         "/usr/bin/python3", "-c", script])
        try #require(child.waitForOutput(containing: "listening", timeout: .seconds(10)), "\(child.output)")
        return child
    }

    @Test func aPortServedByAnotherUserIsRefusedBeforeAnyByteMoves() throws {
        let namespace = try NetworkNamespace(tag: "owner")
        let squatter = try Self.squatter(in: namespace)
        defer { _ = squatter.terminate() }
        let bridge = try namespace.start([BuiltExecutable.uartTunnel, "bridge", "--connect", "127.0.0.1:5556",
                                          "--ifname", "tun0"])
        let status = bridge.wait(timeout: .seconds(20))
        #expect(status != nil && status != 0, "the bridge stops: \(bridge.output)")
        #expect(bridge.output.contains("127.0.0.1:5556 is served by a socket of uid \(Self.squatterUID) (nobody), "
                                       + "not by this user (uid 0 (root)) or root"), "\(bridge.output)")
        #expect(bridge.output.contains("--allow-foreign-device"), "\(bridge.output)")
        // The check found the connection the squatter accepted, and closed it before sending anything.
        #expect(squatter.waitForOutput(containing: "closed after 0 bytes", timeout: .seconds(10)), "\(squatter.output)")
    }

    @Test func allowForeignDeviceConnectsAnyway() throws {
        let namespace = try NetworkNamespace(tag: "owner")
        let squatter = try Self.squatter(in: namespace)
        defer { _ = squatter.terminate() }
        let bridge = try namespace.start([BuiltExecutable.uartTunnel, "bridge", "--connect", "127.0.0.1:5556",
                                          "--ifname", "tun0", "--allow-foreign-device"])
        defer { _ = bridge.terminate() }
        #expect(bridge.waitForOutput(containing: "connected to device 127.0.0.1:5556", timeout: .seconds(20)),
                "\(bridge.output)")
        #expect(squatter.waitForOutput(containing: "accepted", timeout: .seconds(10)), "\(squatter.output)")
        #expect(bridge.isRunning, "\(bridge.output)")
    }
}
