import UartTunnelTestSupport
import Testing
import UartTunnelChecks

/// The device suite is a black box on the wire: a driver without the static gateway entry fails it, by name.
@Suite(.ownThreads) struct DeviceSuiteCatchesDefectsTests {
    @Test func missingStaticARPEntryFailsTheDeviceSuite() throws {
        let fixture = FirmwareDeviceProcess.fixture("defective")
        let device = try ChildDevice(tool: FirmwareDeviceProcess.tool,
                                     arguments: ["--driver", fixture + "/defective_tunnel.c", "-I", fixture + "/no_static_arp",
                                                 "--status-port", "0"])
        defer { device.process.terminate() }
        let report = CheckReport()
        DeviceSuite(address: device.address).run(into: report)
        let arp = try #require(report.results.first { $0.name.hasPrefix("no ARP request for the gateway") })
        #expect(arp.outcome == .fail)
        #expect(arp.reason.contains("ARP requests for 192.168.100.1 seen"), "\(arp.reason)")
        // The suite pings before the host ever ARPs, so the first reply waits on an ARP nobody answers.
        #expect(report.results.first?.name.hasPrefix("ICMP echo") == true)
        #expect(report.results.first?.outcome == .fail)
    }
}
