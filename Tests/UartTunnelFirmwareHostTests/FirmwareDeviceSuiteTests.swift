import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// The device conformance suite (the wire-level checks a bridge can observe) against firmware C code running on
/// the ESP-IDF host layer: the in-repo firmware, a user's driver written in another style, and the defective
/// fixture with its defect switched off. Every check must pass and no defect may be reported.
@Suite(.ownThreads, .serialized) struct FirmwareDeviceSuiteTests {
    private func runSuite(_ driverArguments: [String]) throws -> (CheckReport, FirmwareDeviceProcess) {
        let device = try FirmwareDeviceProcess(driverArguments)
        let report = CheckReport()
        DeviceSuite(address: device.address).run(into: report)
        return (report, device)
    }

    @Test func inRepoFirmwarePassesTheDeviceSuite() throws {
        let (report, device) = try runSuite(["--driver", "firmware"])
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)\n\(device.output.suffix(2000))")
        }
        #expect(report.results.count == 15)  // 12 + two truncated frames + sustained pings
        #expect(device.defectLines.isEmpty, "\(device.defectLines)")
        // The firmware's own log lines, ESP_LOG style, from its C code.
        #expect(device.output.contains("I (") && device.output.contains(") uart_tunnel: UART1 115200 8N1 (TX GPIO17, RX GPIO16)"))
        #expect(device.output.contains("web_server: listening on port 80"))
        #expect(device.output.contains("main_task: Returned from app_main()"))
        #expect(device.output.contains("uart_tunnel: Incomplete length: 1 of 2 bytes within 1000 ms, dropped"),
                "the lone length byte times out in the firmware itself")
        #expect(device.child.terminate() == 0)
    }

    @Test func aUserDriverInAnotherStylePassesTheDeviceSuite() throws {
        let (report, device) = try runSuite([
            "--driver", FirmwareDeviceProcess.fixture("eth_style/serial_eth.c"),
            "--driver", FirmwareDeviceProcess.fixture("eth_style/app_main.c"),
        ])
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)\n\(device.output.suffix(2000))")
        }
        #expect(device.defectLines.isEmpty, "\(device.defectLines)")
        // esp_netif's event: IP_EVENT_ETH_GOT_IP reached the app's handler on the event task.
        #expect(device.output.contains("eth_app: got ip 192.168.100.2 gw 192.168.100.1"))
        #expect(device.output.contains("serial_eth.c+app_main.c"))
        #expect(device.child.terminate() == 0)
    }

    @Test func theDefectiveFixtureWithoutADefectIsClean() throws {
        let fixture = FirmwareDeviceProcess.fixture("defective")
        let (report, device) = try runSuite(["--driver", fixture + "/defective_tunnel.c", "-I", fixture + "/none"])
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)\n\(device.output.suffix(2000))")
        }
        #expect(device.defectLines.isEmpty, "\(device.defectLines)")
        #expect(device.child.terminate() == 0)
    }
}
