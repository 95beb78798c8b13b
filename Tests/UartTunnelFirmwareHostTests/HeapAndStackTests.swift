import Foundation
import Testing
import UartTunnelLink
import UartTunnelTestSupport
@testable import UartTunnelChecks
import UartTunnelWire

/// The firmware's heap and task stacks as on the chip, and its crashes named with task, function and line
/// (`Fixtures/probes/heap_probe.c`, `Fixtures/defective/{leaks_per_frame,stack_overflow,null_deref}`).
@Suite(.ownThreads) struct HeapAndStackTests {
    private static let defective = FirmwareDeviceProcess.fixture("defective")

    private static func defective(_ defect: String, extra: [String] = []) throws -> FirmwareDeviceProcess {
        try FirmwareDeviceProcess(["--driver", defective + "/defective_tunnel.c", "-I", defective + "/" + defect] + extra)
    }

    /// "heap held: free=55532 largest=55528" → ["free": 55532, "largest": 55528]
    private static func values(_ output: String, line prefix: String) -> [String: Int] {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(prefix) }) else { return [:] }
        var values: [String: Int] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=")
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    /// ESP-IDF v5.4's heap API over a 64 KiB heap: multi_heap charges each block its size rounded to 4 plus a
    /// 4-byte header, refuses what does not fit (and size 0), and has no SPIRAM on a plain ESP32.
    @Test func theHeapAPIReportsABoundedHeapAndMallocFailsPastIt() throws {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/heap_probe.c"),
                                                "--heap-kb", "64"])
        try #require(device.child.waitForOutput(containing: "heap end:", timeout: .seconds(30)), "\(device.output)")
        let out = device.output
        #expect(Self.values(out, line: "heap start:") == ["free": 65536, "minimum": 65536, "total": 65536,
                                                          "caps_free": 65536], "\(out)")
        #expect(Self.values(out, line: "heap held:") == ["free": 65536 - 10004, "largest": 65536 - 10004 - 4])
        #expect(Self.values(out, line: "heap refused:") == ["too_big_null": 1, "zero_null": 1, "spiram_null": 1,
                                                            "spiram_free": 0, "realloc_kept": 1], "\(out)")
        #expect(Self.values(out, line: "heap grown:") == ["free": 65536 - 20004])
        // 63 blocks of 1024 + 4 fit in 65536; the 64th does not
        #expect(Self.values(out, line: "heap filled:") == ["blocks": 63, "free": 65536 - 63 * 1028])
        #expect(Self.values(out, line: "heap end:") == ["free": 65536, "minimum": 65536 - 63 * 1028,
                                                        "info_free": 65536, "info_allocated": 0], "\(out)")
        #expect(out.contains("DEFECT heap-exhausted: malloc(60000) returned NULL"), "\(out)")
    }

    /// heap_probe.c never calls esp_netif_init, so lwIP's core lock does not exist: reading the firmware's
    /// addresses for the closing line at SIGTERM crashed in host_core_lock. It now ends like any device, status 0.
    @Test func aFirmwareWithoutEspNetifInitEndsCleanlyOnSIGTERM() throws {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/heap_probe.c")])
        try #require(device.child.waitForOutput(containing: "heap end:", timeout: .seconds(30)), "\(device.output)")
        #expect(device.child.terminate() == 0, "\(device.output.suffix(2000))")
        #expect(device.output.contains("stopped by signal 15"), "\(device.output.suffix(2000))")
    }

    /// A driver that keeps 64 bytes per received frame: named after 8 windows of 32 frames, while the same driver
    /// without the leak, fed the same frames, names nothing. Every frame is proved processed by its echo reply.
    @Test func aHeapThatGrowsWithEveryFrameIsNamedAndACorrectDriverIsNot() throws {
        for defect in ["leaks_per_frame", "none"] {
            let device = try Self.defective(defect)
            let peer = try DevicePeer(connectingTo: device.address)
            for sequence in 1...300 {
                try #require(try peer.ping(identifier: 0x4850, sequence: UInt16(sequence), within: .seconds(5)) != nil,
                             "\(defect): ping \(sequence) unanswered: \(device.output.suffix(1500))")
            }
            if defect == "none" {
                #expect(device.defectLines.isEmpty, "\(device.defectLines)")
            } else {
                #expect(device.waitForDefect("heap-grows-per-frame"), "\(device.output.suffix(2000))")
                // 8 rising windows of 32 frames, 68 bytes charged per 64-byte note
                #expect(device.output.contains("(about 68 bytes per frame)"), "\(device.output.suffix(2000))")
            }
            _ = device.child.terminate()
        }
    }

    /// No false heap or stack defect on the correct in-repo firmware under fuzzed frames: 400 seeded random frames
    /// (random length and bytes, each a valid record) between pings that must all be answered, so more than the
    /// heap rule's 8 x 32 frames reach netif->input; the seed is in the failure message.
    @Test func randomFramesIntoTheInRepoFirmwareNameNoDefect() throws {
        let device = try FirmwareDeviceProcess(["--driver", "firmware"])
        let peer = try DevicePeer(connectingTo: device.address)
        let seed = UInt64.random(in: 1...UInt64.max)
        var generator = SeededGenerator(seed: seed)
        for index in 0..<400 {
            let length = Int.random(in: 14...1518, using: &generator)
            try peer.send(frame: (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            if index % 4 == 3 {
                try #require(try peer.ping(identifier: 0x4853, sequence: UInt16(index), within: .seconds(5)) != nil,
                             "ping after random frame \(index) (seed \(seed)): \(device.output.suffix(1500))")
            }
        }
        #expect(device.defectLines.isEmpty, "seed \(seed): \(device.defectLines)")
    }

    /// A 256 KiB buffer on the stack of a task that asked for 4096 bytes: the guard below its stack faults, and the
    /// device names the task and the stack size instead of dying silently or running on.
    @Test func aTaskThatRunsPastItsStackIsNamed() throws {
        let device = try Self.defective("stack_overflow")
        let peer = try DevicePeer(connectingTo: device.address)
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 9, sequence: 1))
        let status = device.child.wait(timeout: .seconds(10))
        #expect(status != nil && status != 0, "the device ends: \(device.output)")
        #expect(device.output.contains("FATAL task-stack-overflow: task \"rx\" ran past the 4096-byte stack it asked for"),
                "\(device.output)")
        #expect(device.output.contains("reassemble at defective_tunnel.c:"), "names the function: \(device.output)")
    }

    /// A NULL dereference in the firmware: the signal, the firmware task, the function and the source line, from
    /// the object kept on disk while it ran, which the report then removes.
    @Test func aFirmwareCrashNamesTaskFunctionAndLineAndTheObjectIsRemoved() throws {
        let source = try String(contentsOfFile: Self.defective + "/defective_tunnel.c", encoding: .utf8)
        let line = try #require(source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("NULL_DEREF_LINE") }) + 1
        let device = try Self.defective("null_deref")
        let objects = try Self.firmwareObjects(of: device.child.pid)
        #expect(objects.count == 1, "the compiled object is on disk while loaded: \(objects)")
        let peer = try DevicePeer(connectingTo: device.address)
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 10, sequence: 1, payload: [UInt8](repeating: 7, count: 1100)))
        let status = device.child.wait(timeout: .seconds(10))
        #expect(status != nil && status != 0, "the device ends: \(device.output)")
        #expect(device.output.contains("FATAL firmware-crash: SIGSEGV invalid memory access"), "\(device.output)")
        #expect(device.output.contains("in rx_task at defective_tunnel.c:\(line) on the firmware task \"rx\""),
                "\(device.output)")
        #expect(!device.output.contains("Backtrace") && !device.output.contains("rax "), "no runtime dump on top")
        #expect(objects.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "removed after the report: \(objects)")
    }

    /// A device that ends normally removes its compiled object too.
    @Test func theFirmwareObjectIsRemovedAtExit() throws {
        let device = try Self.defective("none")
        let objects = try Self.firmwareObjects(of: device.child.pid)
        #expect(objects.count == 1, "\(objects)")
        #expect(device.child.terminate() == 0, "\(device.output)")
        #expect(objects.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "\(objects)")
    }

    /// The `.so` files the device with this pid compiled (FirmwareCompiler's temporary directory names the pid).
    private static func firmwareObjects(of pid: pid_t) throws -> [String] {
        let temporary = FileManager.default.temporaryDirectory.path
        return try FileManager.default.contentsOfDirectory(atPath: temporary)
            .filter { $0.hasPrefix("uart-tunnel-firmware-\(pid)-") }
            .flatMap { directory in
                ((try? FileManager.default.contentsOfDirectory(atPath: temporary + "/" + directory)) ?? [])
                    .filter { $0.hasSuffix(".so") }.map { temporary + "/" + directory + "/" + $0 }
            }
    }
}
