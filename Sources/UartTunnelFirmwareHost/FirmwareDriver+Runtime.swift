import CEspIdfHost
import Foundation
import Logging
import Synchronization
import UartTunnelDevice
import UartTunnelSystem

extension FirmwareDriver {
    /// The ROM bootloader's first line after esp_restart on an ESP32: esp_restart_noos (esp_system's
    /// port/soc/esp32/system_internal.c) resets the cores by software, reset reason 0xc.
    static let softwareResetLine = "rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)"

    /// Wires NVS, esp_restart and esp_reset_reason before the firmware runs.
    static func prepareRuntime(_ runtime: FirmwareRuntime, logger: Logger) {
        let inheritedNVS = DeviceRestart.inherited?.descriptors("nvs").first
        let nvs = CEspIdfHost_setNvsBacking(runtime.nvsPath, inheritedNVS?.rawValue ?? -1)
        if let path = runtime.nvsPath {
            logger.info("NVS partition \"nvs\": \(path)")
        } else if nvs >= 0 {
            logger.info("NVS partition \"nvs\": in memory, kept across esp_restart until the device ends (--nvs FILE keeps it across runs)")
            DeviceRestart.keep("nvs") { (["fd-nvs": "\(nvs)"], [Descriptor(rawValue: nvs)]) }
        } else {
            logger.warning("NVS partition \"nvs\": memfd_create failed (\(SystemError.message(for: -nvs))); it will not survive esp_restart")
        }
        DeviceRestart.maxRestarts.withLock { $0 = runtime.maxRestarts }
        restartLogger.withLock { $0 = logger }
        CEspIdfHost_setRestartHandler(firmwareRestart)
        // esp_reset_reason_t: ESP_RST_SW (3) after esp_restart, ESP_RST_POWERON (1) for a fresh device
        CEspIdfHost_setResetReason(DeviceRestart.inherited != nil ? 3 : 1)
    }

    /// Before app_main: the console starts (so it carries the boot), and after a restart the ROM's reset line goes
    /// where the chip's UART0 output goes.
    static func boot(_ runtime: FirmwareRuntime, logger: Logger) throws -> FirmwareConsole? {
        let console = try runtime.console.map { address throws(SystemError) in
            try FirmwareConsole(listenOn: address, logger: logger)
        }
        try console?.start()
        if DeviceRestart.inherited != nil {
            let line = softwareResetLine + "\n"
            FileHandle.standardError.write(Data(line.utf8))
            console?.write(line)
        }
        return console
    }
}

private let restartLogger = Mutex<Logger?>(nil)

/// esp_restart's hook, on the firmware task that called it: replaces the device process (does not return unless
/// the restart limit is used up or the exec failed; esp_restart then ends the device).
private func firmwareRestart() {
    let logger = restartLogger.withLock { $0 } ?? Logger(label: "uart_tunnel")
    // The firmware's file is not removed: the next image loads it again (FirmwareDriver's "firmware-object").
    DeviceRestart.restart(logger: logger)
}
