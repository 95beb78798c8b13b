import Foundation
import Testing
import UartTunnelSystem
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// esp_restart() as a chip reset (esp_system.c esp_restart → esp_restart_noos, SW_CPU_RESET): app_main runs
/// again in a fresh device process with NVS and the UART's TCP peer kept, the ROM's reset line printed and
/// esp_reset_reason() = ESP_RST_SW (port/soc/esp32/reset_reason.c). `Fixtures/runtime/boot_counter.c` counts its
/// boots in NVS and restarts when the peer sends 'R'.
@Suite(.ownThreads) struct RuntimeRestartTests {
    @Test func espRestartRunsAppMainAgainOnTheSameConnectionWithNVSKept() throws {
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter])
        defer { _ = device.child.terminate() }
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 1"), "\(device.output)")
        #expect(device.output.contains("boot: boot 1 reason ESP_RST_POWERON"))

        try peer.send(raw: [UInt8(ascii: "R")])
        try #require(RuntimeFixtures.waitForBoot(2, of: device), "\(device.output)")
        // The same TCP connection (never closed: a read would see end of file) now talks to the second boot.
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 2"), "\(device.output)")
        let output = device.output
        #expect(output.contains(RuntimeFixtures.softwareReset), "\(output)")
        #expect(output.contains("boot: stored count: ESP_OK") && output.contains("boot: boot 2 reason ESP_RST_SW"))
        #expect(output.contains("(kept across esp_restart)"), "the new process adopted the peer: \(output)")
        // one process all along (its pid, which ChildProcess waits on, never ended)
        #expect(device.child.isRunning)
        // the ROM line comes after the restart request and before the second app_main's first line
        let lines = output.split(separator: "\n").map(String.init)
        let reset = try #require(lines.firstIndex { $0.contains(RuntimeFixtures.softwareReset) })
        let request = try #require(lines.firstIndex { $0.contains("restarting on the peer's request") })
        let second = try #require(lines.firstIndex { $0.contains("boot 2 reason") })
        #expect(request < reset && reset < second)
    }

    /// A reset is not a reflash: the restarted process loads the object the first start compiled, so a source file
    /// edited while the device runs changes nothing until the device is started again, and nothing is compiled
    /// twice.
    @Test func espRestartRunsTheSameBuildEvenIfTheSourceChanged() throws {
        let scratch = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let copy = scratch + "/boot_counter.c"
        try FileManager.default.copyItem(atPath: RuntimeFixtures.bootCounter, toPath: copy)
        let device = try FirmwareDeviceProcess(["--driver", copy])
        defer { _ = device.child.terminate() }
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 1"), "\(device.output)")

        let source = try String(contentsOfFile: copy, encoding: .utf8)
        try #require(source.contains("\"boot %u reason %s\""))
        try source.replacingOccurrences(of: "\"boot %u reason %s\"", with: "\"edited boot %u reason %s\"")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        try peer.send(raw: [UInt8(ascii: "R")])
        try #require(RuntimeFixtures.waitForBoot(2, of: device), "\(device.output)")
        let output = device.output
        #expect(!output.contains("edited boot"), "the restart ran the edited source: \(output)")
        #expect(output.components(separatedBy: "compiling 1 C file").count == 2, "compiled more than once: \(output)")
    }

    /// `--max-restarts N`: the N+1st esp_restart ends the device with exit status 3, a boot loop made visible.
    @Test func maxRestartsEndsTheDeviceWithStatus3() throws {
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter], extra: ["--max-restarts", "1"])
        defer { _ = device.child.terminate() }
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 1"))
        try peer.send(raw: [UInt8(ascii: "R")])
        try #require(RuntimeFixtures.waitForBoot(2, of: device), "\(device.output)")
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 2"), "\(device.output)")
        try peer.send(raw: [UInt8(ascii: "R")])
        #expect(device.child.wait(timeout: .seconds(10)) == 3, "\(device.output)")
        #expect(device.output.contains("esp_restart: --max-restarts 1 used up"), "\(device.output)")
        #expect(!device.output.contains("boot 3 reason"))
    }

    /// A capture file goes on across the restart (the new process appends a pcapng section instead of truncating):
    /// tshark reads the answers of both boots from it.
    @Test func captureFilesKeepWhatTheFirstBootSent() throws {
        let scratch = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let capture = scratch + "/restart.pcapng"
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter], extra: ["--capture", capture])
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 1"))
        try peer.send(raw: [UInt8(ascii: "R")])
        try #require(RuntimeFixtures.waitForBoot(2, of: device), "\(device.output)")
        #expect(try RuntimeFixtures.ask(peer, "?", expecting: "boot 2"), "\(device.output)")
        _ = device.child.terminate()
        let read = try ChildProcess.run(["tshark", "-r", capture, "-Y", "eth.type == 0x88b5", "-T", "fields",
                                         "-e", "data.data"])
        #expect(read.status == 0, "\(read.output)")
        // data.data is the payload in hex: "boot 1" = 626f6f742031, "boot 2" = 626f6f742032
        #expect(read.output.contains("626f6f742031") && read.output.contains("626f6f742032"), "\(read.output)")
    }
}
