import Foundation
import Testing
import UartTunnelChecks
import UartTunnelFuzz
import UartTunnelLink
import UartTunnelTestSupport
import UartTunnelWire

/// `device --virtual-time --replay`: a capture's RX side played on the fuzz harness's virtual clock. A capture of a
/// bad length (0), a cut frame, 12.345 s of silence and an ARP request: the clean driver skips the bad length, drops
/// the cut frame by its 1 s rule and answers the ARP at the capture's own (virtual) time; the run is the same
/// twice; the driver with the planted missing resync (it drains the line for ever after a bad length) is named;
/// options the harness does not model are refused by name. The hang limit is a minute: it is real time, and a
/// loaded machine must not turn a slow start into a finding.
@Suite(.ownThreads, .disabled(if: FuzzFixtures.skipReason != nil, "\(FuzzFixtures.skipReason ?? "")"))
struct VirtualTimeReplayTests {
    static let silenceMicroseconds: UInt64 = 12_345_000
    static let arpRecord = try! RecordEncoder.encode(PacketBuilder.arpRequest())

    /// A bad length, 40 bytes of a ping's record, the silence, then the ARP request's record, as a --raw capture.
    static func writeCapture(in directory: String) throws -> String {
        let ping = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0x7717, sequence: 1))
        var log = FuzzReproducer.StepLog()
        log.chunks = [.init(microseconds: 0, bytes: [0x00, 0x00] + Array(ping.prefix(40))),
                      .init(microseconds: silenceMicroseconds, bytes: arpRecord)]
        log.end = silenceMicroseconds + 500_000
        let path = directory + "/silence.pcapng"
        try FuzzReproducer.writeCapture(log, to: path, summary: "a bad length, a cut frame, 12.345 s of silence, an ARP request")
        return path
    }

    @Test func stepsKeepEveryGapInWholeMilliseconds() throws {
        let directory = FuzzFixtures.temporaryDirectory("vt-steps")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let replay = try CaptureReplay(path: try Self.writeCapture(in: directory))
        let steps = VirtualReplay.input(from: replay, baud: 115_200).steps
        // 42 bytes take 3.646 ms of line at 115200 8N1: the idle after them is 12,341.354 ms, rounded up to 12,342
        // ms, as 12.3 s (code 223) and 42 ms; after the ARP record (3.819 ms of line) 496.18 ms are left: 497 ms.
        #expect(steps.count == 4)
        #expect(steps[0].bytes.count == 42 && steps[0].idleCode == 223)
        #expect(steps[1].bytes.isEmpty && steps[1].idleCode == 42)
        #expect(steps[2].bytes == Self.arpRecord && steps[2].idleCode == 104)   // 400 ms …
        #expect(steps[3].bytes.isEmpty && steps[3].idleCode == 97)              // … + 97 ms
    }

    @Test func aLongSilenceIsPlayedOnTheVirtualClockTheSameWayTwice() throws {
        let directory = FuzzFixtures.temporaryDirectory("vt-replay")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let replay = try CaptureReplay(path: try Self.writeCapture(in: directory))
        let binary = try FuzzFixtures.build.binary(for: try FuzzFixtures.plantedTarget("none")).binary
        let player = VirtualReplay(binary: binary)
        let first = try player.run(replay, espLogLevel: 2, hangMilliseconds: 60_000, echo: false)
        let second = try player.run(replay, espLogLevel: 2, hangMilliseconds: 60_000, echo: false)
        note("virtual \(first.virtualMicroseconds) µs in \(first.realSeconds) s of real time")
        #expect(first.finding == nil, "\(String(describing: first.finding))")
        #expect(second.status == 0 && second.finding == nil, "second run: status \(second.status), \(String(describing: second.finding)): \(second.output.suffix(1500))")
        #expect(first.log == second.log, "the same capture took another path the second time")
        // RX: the bad length and the cut frame, the ARP request 12.345 s later (42 bytes' line time + the rounded idle), the canary
        let rx = first.log.chunks
        try #require(rx.count >= 3, "\(rx)")
        #expect(rx[0].bytes.count == 42)
        let arpAt = try #require(rx.firstIndex { $0.bytes == Self.arpRecord })
        #expect(rx[arpAt].microseconds - rx[0].microseconds >= Self.silenceMicroseconds)
        #expect(rx[arpAt].microseconds - rx[0].microseconds < Self.silenceMicroseconds + 60_000)  // within the ±50 ms band rule
        // TX: the driver's ARP reply to the request, sent after it arrived
        let replies = first.log.sent.filter { sent in
            guard sent.bytes.count > 2, let frame = EthernetFrame(Array(sent.bytes.dropFirst(2))),
                  let arp = ARPPacket(frame.payload) else { return false }
            return arp.operation == ARPPacket.reply && arp.targetIP == .gateway && arp.senderIP == .device
        }
        #expect(!replies.isEmpty, "no ARP reply among \(first.log.sent.count) pieces sent")
        #expect((replies.first?.microseconds ?? 0) >= rx[arpAt].microseconds)
    }

    @Test func theCommandLineNamesAFindingAndWritesBothDirections() throws {
        let directory = FuzzFixtures.temporaryDirectory("vt-cli")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let capture = try Self.writeCapture(in: directory)
        func device(_ bug: String, _ extra: [String] = []) throws -> (status: Int32?, output: String) {
            let child = try ChildProcess([BuiltExecutable.uartTunnel, "device", "--driver",
                                          FuzzFixtures.planted + "/planted_tunnel.c", "-I", FuzzFixtures.planted + "/" + bug,
                                          "--virtual-time", "--replay", capture] + extra)
            // A cold build of the fuzz binary waits its turn beside the other tests' builds (a clean clone runs them
            // all at once): up to 10 min, ended by its "replaying" line; the replay itself then has 120 s.
            let built = child.waitForOutput(containing: "uart-tunnel device: replaying ", timeout: .seconds(600))
            let status = built ? child.wait(timeout: .seconds(120)) : nil
            if status == nil { _ = child.terminate() }
            return (status, child.output)
        }
        let raw = directory + "/out-raw.pcapng"
        let clean = try device("none", ["--raw", raw])
        #expect(clean.status == 0, "\(clean.output.suffix(1500))")
        #expect(clean.output.contains("clean: every record delivered"), "\(clean.output.suffix(1500))")
        let written = try CaptureFile(Array(try #require(FileManager.default.contents(atPath: raw))), plain: false, direction: .rx)
        let rx = written.records.filter { $0.kind == .rx && !$0.bytes.isEmpty }
        let tx = written.records.filter { $0.kind == .tx && !$0.bytes.isEmpty }
        #expect(rx.first?.bytes.count == 42)
        #expect(!tx.isEmpty, "the driver's replies are in --raw")
        if let cut = rx.first, let arp = rx.first(where: { $0.bytes == Self.arpRecord }) {
            #expect(arp.timestamp - cut.timestamp >= Int64(Self.silenceMicroseconds) * 1000, "virtual gaps are kept")
        }

        let broken = try device("no_resync")
        #expect(broken.status == 1)
        #expect(broken.output.contains("FINDING valid-frame-dropped"), "\(broken.output.suffix(1500))")
    }

    /// `check device --virtual-time`: the device suite's kinds of case (the seed corpus), one virtual-time run each.
    @Test func theDeviceSuiteOnVirtualTimePassesTheCleanDriverAndNamesTheBrokenOne() throws {
        func check(_ bug: String) throws -> (status: Int32?, output: String) {
            let child = try ChildProcess([BuiltExecutable.uartTunnel, "check", "device", "--virtual-time", "--driver",
                                          FuzzFixtures.planted + "/planted_tunnel.c", "-I", FuzzFixtures.planted + "/" + bug])
            // as above: the build's progress line first (up to 10 min beside other builds), then the cases
            let built = child.waitForOutput(containing: "build the driver as `fuzz` does", timeout: .seconds(600))
            let status = built ? child.wait(timeout: .seconds(300)) : nil
            if status == nil { _ = child.terminate() }
            return (status, child.output)
        }
        let seeds = FuzzSeedCorpus.seeds.count
        let clean = try check("none")
        #expect(clean.status == 0, "\(clean.output.suffix(2000))")
        #expect(clean.output.contains("\(seeds + 1) passed, 0 failed"), "\(clean.output.suffix(2000))")
        let rows = clean.output.split(separator: "\n").filter { $0.contains("clean, canary answered") }
        #expect(rows.count == seeds, "\(clean.output.suffix(2000))")

        // the driver that never resynchronises after a bad length fails exactly the cases with one
        let broken = try check("no_resync")
        #expect(broken.status == 1)
        let failed = broken.output.split(separator: "\n").filter { $0.contains(" fail ") }
        #expect(failed.contains { $0.contains("bad-length-0 ") && ($0.contains("valid-frame-dropped") || $0.contains("resync-lost")) },
                "\(broken.output.suffix(3000))")
        #expect(!failed.contains { $0.contains("valid-98 ") }, "a valid frame alone passes: \(broken.output.suffix(3000))")
    }

    @Test func withoutACaptureOrWithUnmodelledOptionsItIsRefusedByName() throws {
        func refused(_ arguments: [String]) throws -> String {
            let child = try ChildProcess([BuiltExecutable.uartTunnel, "device", "--virtual-time"] + arguments)
            let status = child.wait(timeout: .seconds(30))
            if status == nil { _ = child.terminate() }
            #expect(status == 2, "\(child.output)")
            return child.output
        }
        #expect(try refused([]).contains("--virtual-time needs --replay CAPTURE"))
        let directory = FuzzFixtures.temporaryDirectory("vt-refused")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let capture = try Self.writeCapture(in: directory)
        let output = try refused(["--replay", capture, "--faults", "rx:drop-byte=1e-3", "--frame-timeout-ms", "300"])
        #expect(output.contains("--virtual-time does not take --frame-timeout-ms"), "\(output)")
        #expect(output.contains("--faults"), "\(output)")
    }
}
