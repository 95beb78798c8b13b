import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks

/// `check parity` between the Swift reference driver and firmware C drivers on the host layer: the in-repo
/// firmware gives the same records for the whole script; defective drivers are caught where they differ.
@Suite(.ownThreads) struct ParityFirmwareTests {
    static let defective = FirmwareDeviceProcess.fixture("defective")

    static func parity(_ right: (String, [String])) -> CheckReport {
        let report = CheckReport()
        ParitySuite(tool: FirmwareDeviceProcess.tool, left: ("swift", []), right: right).run(into: report)
        return report
    }

    @Test func inRepoFirmwareMatchesTheSwiftDriver() {
        let report = Self.parity(("firmware", ["--driver", "firmware", "--status-port", "0"]))
        #expect(report.results.count == ParityScript.steps().count)
        for result in report.results { #expect(result.outcome == .pass, "\(result.name): \(result.reason)") }
    }

    /// Without the static entry the firmware asks the wire who the gateway is before its first reply.
    @Test func missingStaticARPEntryIsCaught() throws {
        let report = Self.parity(("no static ARP", ["--driver", Self.defective + "/defective_tunnel.c",
                                                    "-I", Self.defective + "/no_static_arp", "--status-port", "0"]))
        let failed = report.results.filter { $0.outcome == .fail }
        let first = try #require(failed.first, "parity did not notice the missing static ARP entry")
        #expect(first.reason.contains("ARP request who-has 192.168.100.1"), "\(first.reason)")
    }

    /// A TX limit of 1500 bytes drops the 1514-byte echo reply to a 1472-byte ping.
    @Test func aTXLimitThatRejectsFullFramesIsCaught() throws {
        let report = Self.parity(("tx limit 1500", ["--driver", Self.defective + "/defective_tunnel.c",
                                                    "-I", Self.defective + "/tx_limit_1500", "--status-port", "0"]))
        let step = try #require(report.results.first { $0.name.contains("1472 data bytes") })
        #expect(step.outcome == .fail)
        #expect(step.reason.contains("only swift sent one"), "\(step.reason)")
        #expect(report.results.first { $0.name.contains("56 data bytes") }?.outcome == .pass)
    }
}
