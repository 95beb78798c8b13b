import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// A peer that connects while the paced device is still sending a record (here the gratuitous ARP it sends at
/// link-up, 44 bytes = 367 ms at 1200 baud) must not receive that record's tail: the stream it sees starts at a
/// record boundary, so its first frame decodes and its first ping is answered.
@Suite struct PacedAttachTests {
    @Test func aPeerAttachingMidRecordStartsAtARecordBoundary() throws {
        let device = try ChildDevice(tool: BuiltExecutable.uartTunnel, arguments: ["--baud", "1200"])
        defer { device.process.terminate() }
        let peer = try DevicePeer(connectingTo: device.address)
        let reply = try peer.ping(identifier: 0xA77C, sequence: 1, within: .seconds(8))
        #expect(reply != nil, "first ping lost:\n\(device.process.output.suffix(1500))")
        #expect(peer.seen.count == 1, "frames seen: \(peer.seen.map { describe(frame: $0) })")
    }
}
