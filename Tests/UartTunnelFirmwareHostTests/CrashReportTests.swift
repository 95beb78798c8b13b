import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// Where ESP-IDF v5.4 would crash, the device says so by name and ends with a non-zero status instead of running on
/// with the fault masked (`Fixtures/crash/`).
@Suite(.ownThreads) struct CrashReportTests {
    private static func fixture(_ name: String) -> String { FirmwareDeviceProcess.fixture("crash/\(name)") }

    /// `esp_netif_start_api` runs `ESP_ERROR_CHECK(esp_netif_config_sanity_check(esp_netif))`: a netif without a
    /// driver transmit/handle aborts the chip with ESP-IDF's report.
    @Test func startingANetifWithoutADriverAbortsLikeESPIDF() throws {
        let (status, output) = try ChildProcess.run([
            FirmwareDeviceProcess.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0",
            "--driver", Self.fixture("start_without_driver.c"),
        ], timeout: .seconds(60))
        #expect(status != 0, "\(output)")
        #expect(output.contains("Cannot start esp_netif: Missing mandatory configuration"), "\(output)")
        #expect(output.contains("FATAL esp-netif-start-incomplete"), "\(output)")
        #expect(output.contains("ESP_ERROR_CHECK failed: esp_err_t 0x103 (ESP_ERR_INVALID_STATE)"), "\(output)")
        #expect(!output.contains("still running after esp_netif_action_start"), "\(output)")
    }

    /// A driver that never sets `netif->input` (esp_netif_new leaves the lwIP netif zeroed and only netif_add in
    /// esp_netif_start would set it) calls a NULL pointer on the first frame: InstrFetchProhibited on the chip.
    @Test func aNullNetifInputIsNamedWhenTheFirstFrameArrives() throws {
        let device = try FirmwareDeviceProcess(["--driver", Self.fixture("null_input.c")])
        let peer = try DevicePeer(connectingTo: device.address)
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 7, sequence: 1))
        let status = device.child.wait(timeout: .seconds(10))
        #expect(status != nil && status != 0, "the device ends: \(device.output)")
        #expect(device.output.contains("FATAL netif-input-null: the firmware called netif->input of \"eth\", which "
                                       + "is NULL"), "\(device.output)")
        // rx_task is static (no dynamic symbol): the caller is named by image and offset
        #expect(device.output.contains("called from null_input.so+0x"), "names the calling code: \(device.output)")
    }

    /// `esp_netif_free_rx_buffer` calls the driver's `driver_free_rx_buffer` without a check; lwIP frees the
    /// zero-copy pbuf of the first received frame, so a driver config without it crashes then.
    @Test func aMissingFreeRxBufferIsNamedWhenLwIPReturnsTheFirstBuffer() throws {
        let device = try FirmwareDeviceProcess(["--driver", Self.fixture("no_free_rx_buffer.c")])
        let peer = try DevicePeer(connectingTo: device.address)
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 8, sequence: 1))
        let status = device.child.wait(timeout: .seconds(10))
        #expect(status != nil && status != 0, "the device ends: \(device.output)")
        #expect(device.output.contains("FATAL driver-free-rx-buffer-null"), "\(device.output)")
    }
}
