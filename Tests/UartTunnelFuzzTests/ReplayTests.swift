import Foundation
import Testing
import UartTunnelChecks
import UartTunnelFuzz
import UartTunnelLink
import UartTunnelTestSupport

/// A finding replays in real time: `uart-tunnel device --driver … --replay` plays the reproducer into the same
/// driver built normally (no sanitizers, real clock) and the device names the same defect in its log; the
/// clean driver, given the same bytes, delivers the frame and names nothing. The device's --capture of the
/// replay is a pcapng `decode` reads.
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct ReplayTests {
    @Test func resyncReproducerReplaysIntoTheDevice() throws {
        let directory = FuzzFixtures.temporaryDirectory("replay")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binary = try FuzzFixtures.build.binary(for: try FuzzFixtures.plantedTarget("no_resync")).binary
        var options = FuzzSession.Options()
        options.findings = directory
        options.minimizeRuns = 0
        // a bad length (0) and then a valid ARP request: the driver drains the line for ever and drops the ARP
        let finding = try FuzzSession(binary: binary, options: options)
            .examine(FuzzPaths.repositoryRoot + "/fuzz/corpus/bad-length-0")
        #expect(finding.kind == "valid-frame-dropped", "\(finding.line)")

        func replay(_ bug: String) throws -> (status: Int32?, output: String, capture: String) {
            let capture = directory + "/\(bug).pcapng"
            let device = try ChildProcess([BuiltExecutable.uartTunnel, "device",
                                           "--driver", FuzzFixtures.planted + "/planted_tunnel.c",
                                           "-I", FuzzFixtures.planted + "/" + bug, "--listen", "127.0.0.1:0",
                                           "--status-port", "0", "--replay", finding.reproducer, "--capture", capture])
            let status = device.wait(timeout: .seconds(60))
            if status == nil { _ = device.terminate() }
            return (status, device.output, capture)
        }
        let buggy = try replay("no_resync")
        #expect(buggy.status == 0)
        #expect(buggy.output.contains("replay finished"))
        #expect(buggy.output.contains("DEFECT valid-frame-dropped"), "\(buggy.output.suffix(1500))")

        let clean = try replay("none")
        #expect(clean.status == 0)
        #expect(clean.output.contains("rx 1 frames/42 B"), "\(clean.output.suffix(800))")
        #expect(!clean.output.contains("DEFECT"), "\(clean.output.suffix(1500))")

        // the device's own capture of the replay: the bad length and the ARP frame, as decode reads them
        let data = try #require(FileManager.default.contents(atPath: buggy.capture))
        #expect(PcapngReader.isPcapng(Array(data)))
    }
}
