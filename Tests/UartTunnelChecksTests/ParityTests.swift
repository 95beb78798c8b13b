import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// `check parity` between two device processes: identical drivers agree on every step, and a driver that
/// differs in a way a bridge would notice is caught with a readable diff.
@Suite(.ownThreads) struct ParityTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    @Test func identicalDriversAgreeOnEveryStep() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tool))
        let report = CheckReport()
        ParitySuite(tool: Self.tool, left: ("A", []), right: ("B", [])).run(into: report)
        #expect(report.results.count == ParityScript.steps().count)
        for result in report.results { #expect(result.outcome == .pass, "\(result.name): \(result.reason)") }
        // Steps that must produce output do.
        #expect(report.results.first?.figure == "same: 1 record")
    }

    @Test func aDriverWithAnotherMACIsCaught() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tool))
        let report = CheckReport()
        ParitySuite(tool: Self.tool, left: ("seed MAC", []), right: ("other MAC", ["--mac", "02:00:00:00:00:03"]))
            .run(into: report)
        let arp = try #require(report.results.first)
        #expect(arp.outcome == .fail)
        #expect(arp.reason.contains("record 1 differs at byte 11"), "\(arp.reason)")
        #expect(arp.reason.contains(">>"), "a hex diff marks the differing lines")
        #expect(report.failed >= 10, "every answered step differs in the source MAC (last byte, offset 11)")
    }

    @Test func normalizerKeepsICMPButForgetsTCPSequenceNumbers() {
        let a = PacketBuilder.tcp(srcMAC: .device, dstMAC: .host, srcIP: .device, dstIP: .gateway, srcPort: 80,
                                  dstPort: 40001, sequence: 111, acknowledgment: 1001, flags: [.syn, .ack], ipID: 1)
        let b = PacketBuilder.tcp(srcMAC: .device, dstMAC: .host, srcIP: .device, dstIP: .gateway, srcPort: 80,
                                  dstPort: 40001, sequence: 999_999, acknowledgment: 1001, flags: [.syn, .ack], ipID: 7)
        #expect(ParityNormalizer.difference(a, b) == nil)
        let c = PacketBuilder.tcp(srcMAC: .device, dstMAC: .host, srcIP: .device, dstIP: .gateway, srcPort: 80,
                                  dstPort: 40001, sequence: 111, acknowledgment: 1001, flags: [.rst, .ack], ipID: 1)
        #expect(ParityNormalizer.difference(a, c) == 14 + 20 + 13, "the flags byte differs")
        let ping = PacketBuilder.icmpEchoReply(sequence: 1)
        var other = ping
        other[other.count - 1] ^= 1
        #expect(ParityNormalizer.difference(ping, other) == ping.count - 1)
    }
}
