import Testing
import UartTunnelSystem
import UartTunnelTestSupport
import UartTunnelWire
@testable import UartTunnelChecks

/// No check passes when its peer never answered: a device that refuses the connection fails the suite at its start
/// with one clear reason, and one that accepts but stays silent fails every check, the "no ARP request" one too.
@Suite(.ownThreads) struct DeviceSuiteNoAnswerTests {
    @Test func aRefusedConnectionFailsTheSuiteAtItsStartWithOneReason() throws {
        // A port that was just free: bind one, learn it, close it.
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        let address = try TCPSocket.localAddress(of: listener)
        listener.close()
        let report = CheckReport()
        DeviceSuite(address: address).run(into: report)
        #expect(report.results.count == 1, "\(report.results)")
        #expect(report.passed == 0)
        #expect(!report.allPassed)
        let only = try #require(report.results.first)
        #expect(only.outcome == .fail)
        #expect(only.name == "device accepts a connection on \(address)")
        #expect(only.reason == "connect(\(address)): Connection refused (errno 111)", "\(only.reason)")
    }

    @Test func aSilentDeviceFailsEveryCheckAndPassesNone() throws {
        // Accepts connections (the kernel completes the handshakes) but never answers a byte.
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0), backlog: 16)
        defer { listener.close() }
        let address = try TCPSocket.localAddress(of: listener)
        let report = CheckReport()
        let started = ContinuousClock.now
        DeviceSuite(address: address).run(into: report)
        #expect(ContinuousClock.now - started < .seconds(15), "the checks after the first fail without waiting")
        #expect(report.results.count == 15)  // 12 + two truncated frames + sustained pings
        #expect(report.passed == 0)
        for result in report.results {
            #expect(result.outcome == .fail, "\(result.name) passed with no answer from the device")
        }
        let arp = try #require(report.results.last)
        #expect(arp.name == "no ARP request for the gateway on the wire (static entry)")
        #expect(arp.reason.hasPrefix("not run: the device at \(address) sent no frame at all"), "\(arp.reason)")
    }

    @Test func gratuitousARPIsNotAGatewayRequestButARequestForTheGatewayIs() {
        #expect(DeviceSuite.isGatewayARPRequest(
            PacketBuilder.arpRequest(senderMAC: .device, senderIP: .device, targetIP: .gateway)))
        // A gratuitous ARP (sender IP == target IP: announcing its own address) asks nobody for anything.
        #expect(!DeviceSuite.isGatewayARPRequest(
            PacketBuilder.arpRequest(senderMAC: .device, senderIP: .gateway, targetIP: .gateway)))
        #expect(!DeviceSuite.isGatewayARPRequest(PacketBuilder.arpRequest(targetIP: .device)))
    }
}
