import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelSystem

/// Helpers for the runtime tests (NVS, esp_restart, console) and their fixtures in `Fixtures/runtime/`.
enum RuntimeFixtures {
    static let bootCounter = FirmwareDeviceProcess.fixture("runtime/boot_counter.c")
    static let nvsProbe = FirmwareDeviceProcess.fixture("runtime/nvs_probe.c")
    static let softwareReset = "rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)"

    /// The text after "probe <name>: " on the firmware's "I (ms) probe: probe <name>: …" line.
    static func probe(_ output: String, _ name: String) -> String? {
        let marker = " probe: probe \(name): "
        guard let found = output.split(separator: "\n").first(where: { $0.contains(marker) }),
              let range = found.range(of: marker) else { return nil }
        return String(found[range.upperBound...])
    }

    /// The payload text of a boot_counter.c answer record (EtherType 0x88b5), or nil for any other frame.
    static func answer(_ frame: [UInt8]) -> String? {
        guard frame.count >= 14, frame[12] == 0x88, frame[13] == 0xb5 else { return nil }
        return String(decoding: frame[14...].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Sends `command` to boot_counter.c until it answers `expected` (bounded: each try waits 300 ms for the
    /// answer). Repeats because a command that reached a firmware in the middle of its restart is lost with it,
    /// as bytes in a resetting chip's UART FIFO are.
    static func ask(_ peer: DevicePeer, _ command: Character, expecting expected: String, tries: Int = 40) throws -> Bool {
        for _ in 0..<tries {
            try peer.send(raw: [command.asciiValue!])
            if try peer.receiveFrame(within: .milliseconds(300), matching: { answer($0) == expected }) != nil {
                return true
            }
        }
        return false
    }

    /// After 'R': the device process compiles the firmware again and runs its second app_main (a compile takes
    /// seconds under load); true once it logged that boot.
    static func waitForBoot(_ boot: Int, of device: FirmwareDeviceProcess) -> Bool {
        device.child.waitForOutput(containing: "boot: boot \(boot) reason", timeout: .seconds(90))
    }

    /// "UART0 console on 127.0.0.1:PORT" from the device's log.
    static func consoleAddress(of device: FirmwareDeviceProcess) throws -> SocketAddress {
        try #require(device.child.waitForOutput(containing: "UART0 console on ", timeout: .seconds(60)), "\(device.output)")
        let line = try #require(device.output.split(separator: "\n").first { $0.contains("UART0 console on ") })
        let text = try #require(line.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") })
        return try SocketAddress(parsing: String(text))
    }

    /// A scratch directory for NVS files, removed by the caller.
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-runtime-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
