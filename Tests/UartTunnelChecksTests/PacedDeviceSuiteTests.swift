import UartTunnelTestSupport
import Testing
@testable import UartTunnelChecks

/// The device suite against a device on a real-speed line: every check still holds when bytes take 87 µs each,
/// provided the suite's silences start when the line has drained.
@Suite(.ownThreads) struct PacedDeviceSuiteTests {
    @Test func deviceSuitePassesAt115200Baud() throws {
        let device = try ChildDevice(tool: BuiltExecutable.uartTunnel, arguments: ["--baud", "115200"])
        defer { device.process.terminate() }
        let report = CheckReport()
        DeviceSuite(address: device.address, lineBytesPerSecond: 11_520).run(into: report)
        #expect(report.results.count == 15)  // 12 + two truncated frames + sustained pings
        for result in report.results { #expect(result.outcome == .pass, "\(result.name): \(result.reason)") }
    }

    @Test func silencesWaitForThePacedLineToDrain() {
        let paced = DeviceSuite(address: .init(host: "127.0.0.1", port: 1), lineBytesPerSecond: 11_520)
        let unpaced = DeviceSuite(address: .init(host: "127.0.0.1", port: 1))
        // 20,480 bytes at 11,520 B/s are 1.7778 s on the line (1,777 ms, rounded up by 1 ms), before the 1 s
        // timeout (+ 300 ms margin) starts.
        #expect(paced.silence(after: 20_480) == .milliseconds(1777 + 1 + 1300))
        #expect(unpaced.silence(after: 20_480) == .milliseconds(1300))
    }
}
