import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelSystem
import UartTunnelWire

/// `uart-tunnel device` as a user runs it: its log, its errors and its exit.
@Suite(.ownThreads) struct DeviceCommandTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    /// At verbose level every frame is one `RX:`/`TX:` line with its length, as in the firmware's UART log.
    @Test func verboseLogHasOneLinePerFrame() throws {
        let device = try ChildProcess([Self.tool, "device", "--listen", "127.0.0.1:0", "--log-level", "verbose"])
        defer { device.terminate() }
        let address = try ChildDevice.listeningAddress(of: device, name: "device")
        let peer = try DevicePeer(connectingTo: address)
        #expect(try peer.ping(identifier: 7, sequence: 1) != nil)
        #expect(device.waitForOutput(containing: "TX: 98 bytes IPv4 192.168.100.2 > 192.168.100.1 ICMP echo reply",
                                     timeout: .seconds(10)), "\(device.output)")
        #expect(device.output.contains("RX: 98 bytes IPv4 192.168.100.1 > 192.168.100.2 ICMP echo request"))
        #expect(device.output.range(of: #"V \(\d+\) uart_tunnel: RX: "#, options: .regularExpression) != nil,
                "ESP_LOG-style prefix")
    }

    @Test func sigtermStopsTheDeviceWithItsCounters() throws {
        let device = try ChildProcess([Self.tool, "device", "--listen", "127.0.0.1:0"])
        let address = try ChildDevice.listeningAddress(of: device, name: "device")
        let peer = try DevicePeer(connectingTo: address)
        try peer.send(raw: [0x00, 0x05])
        #expect(try peer.ping(identifier: 8, sequence: 1) != nil)
        #expect(device.terminate() == 0)
        #expect(device.output.contains("stopped by signal 15"))
        #expect(device.output.contains("bad lengths 1"))
        #expect(device.output.contains("Invalid frame length: 5"))
    }

    /// At 9600 baud 8N1 only 960 bytes cross in the default 1 s partial-frame timeout: the device says so at
    /// start, with the timeout that would let a full frame through; with that timeout it says nothing.
    @Test func aBaudTooSlowForFullFramesIsNamedAtStart() throws {
        let slow = try ChildDevice(tool: Self.tool, arguments: ["--baud", "9600"])
        defer { slow.process.terminate() }
        #expect(slow.process.waitForOutput(containing: "at 9600 8N1 only frames up to 960 bytes cross within",
                                           timeout: .seconds(5)), "\(slow.process.output)")
        #expect(slow.process.output.contains("--frame-timeout-ms 1582 lets a 1518-byte frame through"))
        let enough = try ChildDevice(tool: Self.tool, arguments: ["--baud", "9600", "--frame-timeout-ms", "1582"])
        enough.process.terminate()  // its whole log
        #expect(enough.process.output.contains("UART1 line: paced 9600 8N1"), "\(enough.process.output)")
        #expect(!enough.process.output.contains("dropped as incomplete"), "\(enough.process.output)")
    }

    @Test func aBadListenAddressIsAClearError() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--listen", "localhost:notaport"])
        #expect(status != 0)
        #expect(output.contains("--listen localhost:notaport"), "\(output)")
    }

    @Test func aPortInUseIsAClearError() throws {
        let holder = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { holder.close() }
        let port = try TCPSocket.localAddress(of: holder).port
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:\(port)"])
        #expect(status != 0)
        #expect(output.contains("cannot start the device"), "\(output)")
        #expect(output.contains("Address already in use"), "\(output)")
    }
}
