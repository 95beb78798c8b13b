import Foundation
import Testing
@testable import UartTunnelFuzz
import UartTunnelTestSupport
import UartTunnelWire

/// Virtual time: the same input takes the same path. A ping fed to the clean planted driver is answered at the
/// virtual instant its last byte arrived (the RX task runs before time moves on), and two runs log the same
/// chunks and the same replies at the same virtual microseconds.
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct VirtualTimeTests {
    func stepLog(binary: String, input: String) throws -> String {
        let log = input + ".steps"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // run once: with leak detection on, libFuzzer runs an input again when its mallocs and frees do not
        // balance (a first-use allocation can do that), and the step log would hold both runs
        process.arguments = FuzzSession.runOnceFlags + [input]
        process.environment = ProcessInfo.processInfo.environment.merging(["UART_TUNNEL_FUZZ_STEP_LOG": log]) { $1 }
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try String(contentsOfFile: log, encoding: .utf8)
    }

    @Test func sameInputSameVirtualTimes() throws {
        let binary = try FuzzFixtures.build.binary(for: try FuzzFixtures.plantedTarget("none")).binary
        let directory = FuzzFixtures.temporaryDirectory("vt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // a ping split by a 50 ms idle, then 2 s of idle line (the driver's 1 s timeouts run), then a lone byte
        let ping = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest())
        let input = FuzzInput([.init(Array(ping[..<20]), idleCode: 50), .init(Array(ping[20...]), idleCode: 120),
                               .init([0x00], idleCode: 0)])
        let path = directory + "/input"
        try Data(input.bytes).write(to: URL(fileURLWithPath: path))
        let first = try stepLog(binary: binary, input: path)
        let second = try stepLog(binary: binary, input: path)
        #expect(first == second)

        let lines = first.split(separator: "\n").map { $0.split(separator: " ") }
        let fed = lines.filter { $0.count == 2 && $0[0] != "end" }.compactMap { UInt64($0[0]) }
        let replies = lines.filter { $0.count == 3 && $0[0] == "tx" }.compactMap { UInt64($0[1]) }
        // the second half of the ping went in 50 ms (virtual) after the first
        #expect(fed.count >= 2 && fed[1] - fed[0] == 20 * 10 * 1_000_000 / 115_200 + 50_000)
        // the echo reply leaves at the instant the ping's last byte arrived
        #expect(replies.contains(fed[1]), "replies at \(replies), ping completed at \(fed[1])")
    }
}
