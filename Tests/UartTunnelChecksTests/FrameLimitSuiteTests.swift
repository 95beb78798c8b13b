import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport

/// The max-frame agreement check against real devices (`uart-tunnel device` children on loopback): a device left
/// at 1518 is named as the end that refuses a jumbo bridge's frames; one started with `--max-frame 9018` takes and
/// sends every probed size whole.
@Suite(.ownThreads) struct FrameLimitSuiteTests {
    func results(deviceArguments: [String], maxFrame: Int) throws -> [CheckResult] {
        let device = try ChildDevice(tool: BuiltExecutable.uartTunnel, arguments: deviceArguments)
        defer { device.process.terminate() }
        let report = CheckReport()
        FrameLimitSuite(address: device.address, maxFrame: maxFrame).run(into: report)
        return report.results
    }

    @Test func aDefaultDeviceIsNamedAsRefusingJumboFrames() throws {
        let results = try results(deviceArguments: [], maxFrame: 9018)
        try #require(results.count == 2)
        #expect(results[0].outcome == .fail)
        #expect(results[0].reason.contains("the device refuses frames above 1514 bytes"), "\(results[0].reason)")
        #expect(results[0].reason.contains("4014-byte frame"), "\(results[0].reason)")
        #expect(results[0].reason.contains("--max-frame 9018"), "\(results[0].reason)")
        // What it does take, it sends back whole.
        #expect(results[1].outcome == .pass, "\(results[1].reason)")
    }

    @Test func aJumboDeviceTakesAndSendsEverySize() throws {
        let results = try results(deviceArguments: ["--max-frame", "9018"], maxFrame: 9018)
        try #require(results.count == 2)
        for result in results { #expect(result.outcome == .pass, "\(result.name): \(result.reason)") }
        #expect(results[1].figure == "1514, 4014, 8042, 9014 B whole")
    }

    /// The in-repo firmware's C driver built as a project with CONFIG_UART_TUNNEL_MAX_FRAME=9018 (its lwIP MTU
    /// follows, 9000) takes and sends every probed size whole, and the host layer's wire probe, told the device's
    /// --max-frame, names no defect for the jumbo records.
    @Test func theFirmwareFollowsItsKconfigMaxFrame() throws {
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("ut-jumbo-firmware-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: build) }
        let device = try ChildDevice(tool: BuiltExecutable.uartTunnel, arguments: [
            "--project", RepositoryPaths.root.appendingPathComponent("firmware").path, "--build-dir", build,
            "--set", "CONFIG_UART_TUNNEL_MAX_FRAME=9018", "--max-frame", "9018", "--status-port", "0",
        ], startTimeout: .seconds(180))
        defer { device.process.terminate() }
        let report = CheckReport()
        FrameLimitSuite(address: device.address, maxFrame: 9018).run(into: report)
        try #require(report.results.count == 2)
        for result in report.results { #expect(result.outcome == .pass, "\(result.name): \(result.reason)") }
        #expect(report.results[1].figure == "1514, 4014, 8042, 9014 B whole")
        device.process.terminate()
        #expect(!device.process.output.contains("DEFECT"), "\(device.process.output.suffix(2000))")
    }

    @Test func probeSizesStopAtThisEndsLimit() {
        let address = SocketAddress(host: "127.0.0.1", port: 9)
        #expect(FrameLimitSuite(address: address, maxFrame: 1518).sizes == [1514])
        #expect(FrameLimitSuite(address: address, maxFrame: 5000).sizes == [1514, 4014, 4996])
        #expect(FrameLimitSuite(address: address, maxFrame: 9018).sizes == [1514, 4014, 8042, 9014])
    }
}
