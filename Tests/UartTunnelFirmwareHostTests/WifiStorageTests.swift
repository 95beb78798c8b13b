import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// esp_wifi's configuration storage (src/wifi/wifi_storage.c) as ESP-IDF v5.4 documents it: WIFI_STORAGE_FLASH is the
/// default (esp_wifi.h, esp_wifi_set_storage) and esp_wifi_set_config stores the configuration in NVS (esp_wifi.h,
/// esp_wifi_set_config), which the driver starts from after a reboot (docs/en/api-guides/wifi.rst, "Wi-Fi NVS
/// Flash"); WIFI_STORAGE_RAM keeps later settings in memory; esp_wifi_restore resets them (esp_wifi.h); with NVS flash
/// on, esp_wifi_init fails with ESP_ERR_NVS_NOT_INITIALIZED before nvs_flash_init. Fixtures/wifi/wifi_storage.c
/// takes one step per esp_restart and logs what it read.
@Suite(.ownThreads) struct WifiStorageTests {
    @Test func setConfigSurvivesEspRestartWithFlashStorageOnly() throws {
        let nvs = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-wifi-storage-\(getpid())-\(UUID().uuidString.prefix(8)).txt").path
        defer { try? FileManager.default.removeItem(atPath: nvs) }
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("wifi/wifi_storage.c"),
                                                "--nvs", nvs])
        defer { _ = device.child.terminate() }
        #expect(device.child.waitForOutput(containing: "BOOT 4", timeout: .seconds(30)), "\(device.output.suffix(2000))")
        let boots = WifiRadioTests.lines(device.output, tag: "wifi_storage").map(\.text)
        #expect(boots == [
            "BOOT 1 mode=0 sta=(none)",                     // an erased partition: nothing stored
            "BOOT 2 mode=1 sta=flash-ap then=ram-ap",       // FLASH: mode and config back after esp_restart
            "BOOT 3 mode=1 sta=flash-ap restore=ESP_OK",    // RAM: the later config was not stored
            "BOOT 4 sta=(none) init_without_nvs_flash=ESP_ERR_NVS_NOT_INITIALIZED init_nvs_disabled=ESP_OK",
        ], "\(device.output.suffix(2000))")
        // kept in the NVS file under the namespace people see in ESP32 NVS dumps
        let file = try String(contentsOfFile: nvs, encoding: .utf8)
        #expect(file.contains("namespace \"nvs.net80211\""), "\(file)")
    }
}
