import Foundation
import Testing
import UartTunnelChecks

/// The UART port has no authentication: `device --listen` on anything but loopback is refused unless `--listen-any`
/// says the user accepts that, and then the log says why it is risky.
@Suite struct ListenAnyTests {
    @Test func aNonLoopbackListenAddressNeedsListenAny() throws {
        let (status, output) = try ChildProcess.run([BuiltExecutable.uartTunnel, "device", "--listen", "0.0.0.0:5556"])
        #expect(status != 0, "\(output)")
        #expect(output.contains("--listen 0.0.0.0:5556 is not a loopback address"), "\(output)")
        #expect(output.contains("Pass --listen-any"), "\(output)")
    }

    /// Run in a namespace of the test's own, so the all-interfaces port is never reachable from the network.
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "listening on all interfaces is tried in a namespace: \(NetworkNamespace.unavailableReason ?? "")"))
    func withListenAnyTheDeviceListensAndSaysWhyItIsRisky() throws {
        let namespace = try NetworkNamespace(tag: "any")
        let device = try namespace.start([BuiltExecutable.uartTunnel, "device", "--listen", "0.0.0.0:5556", "--listen-any"])
        defer { _ = device.terminate() }
        #expect(device.waitForOutput(containing: "tunnel listening on 0.0.0.0:5556", timeout: .seconds(20)), "\(device.output)")
        #expect(device.output.contains("(--listen-any): the UART port has no authentication"), "\(device.output)")
    }
}
