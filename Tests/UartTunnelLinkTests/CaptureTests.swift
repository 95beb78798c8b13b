import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks
import UartTunnelLink
import UartTunnelWire

@Suite struct StreamAlignerTests {
    @Test func reportsBadLengthsResyncPointsAndPartialFrames() {
        let ping = PacketBuilder.icmpEchoRequest(sequence: 1)
        var stream = try! RecordEncoder.encode(ping)  // 0..<100
        stream += [0xFF, 0xFF, 0x00, 0x05]  // two invalid lengths at 100 and 102
        stream += try! RecordEncoder.encode(ping)  // resync at 104
        stream += Array(try! RecordEncoder.encode(ping).prefix(30))  // partial at 204
        var aligner = StreamAligner(direction: .rx)
        var outputs: [StreamAligner.Output] = []
        stream.withUnsafeBytes { aligner.feed($0, at: .now) { outputs.append($0) } }
        aligner.finish { outputs.append($0) }
        let report = aligner.report
        #expect(report.frames == 2 && report.bytes == stream.count)
        #expect(report.badLengths == [.init(offset: 100, length: 0xFFFF), .init(offset: 102, length: 5)])
        #expect(report.resyncPoints == [.init(offset: 104, skippedBytes: 4, after: "invalid length 65535")])
        #expect(report.partialFrames == [.init(offset: 204, expected: 98, received: 28, reason: "end of capture")])
        guard outputs.count == 3, case .frame(_, let offset, let comment) = outputs[1],
              case .partial(let bytes, let expected, _, _) = outputs[2] else {
            Issue.record("unexpected outputs \(outputs)")
            return
        }
        #expect(offset == 104 && comment?.contains("invalid length 65535 at offset 100") == true)
        #expect(bytes == Array(ping.prefix(28)) && expected == 98)
    }

    @Test func timeoutDropsAPartialFrameLikeTheDevice() {
        var aligner = StreamAligner(direction: .tx, frameTimeout: .milliseconds(100))
        let start = ContinuousClock.now
        let record = try! RecordEncoder.encode(PacketBuilder.icmpEchoReply())
        var outputs: [StreamAligner.Output] = []
        Array(record.prefix(50)).withUnsafeBytes { aligner.feed($0, at: start) { outputs.append($0) } }
        aligner.idle(at: start + .milliseconds(150)) { outputs.append($0) }
        record.withUnsafeBytes { aligner.feed($0, at: start + .milliseconds(160)) { outputs.append($0) } }
        #expect(aligner.report.partialFrames.first?.reason == "timeout")
        #expect(aligner.report.frames == 1 && aligner.report.resyncPoints.first?.offset == 50)
    }
}

/// Captures read back with tshark: the raw format, decode → pcap, and the live pcapng of a device.
@Suite(.serialized, .ownThreads, .enabled(if: Tools.tsharkTestsEnabled, "tshark is not installed (scripts/install-deps installs it)"))
struct CaptureRoundTripTests {
    /// Writes a capture through a tap: pings RX, replies TX, junk and a partial frame RX.
    static func writeCapture(raw: String?, pcap: String?, format: PacketFileFormat = .pcapng) throws -> CaptureTap {
        let tap = try CaptureTap(rawPath: raw, packetPath: pcap, packetFormat: format, rate: LineRate(baud: 115_200),
                                 frameTimeout: .seconds(1))
        let start = ContinuousClock.now
        tap.note("connected 127.0.0.1:1", at: start)
        for sequence in 1...5 {
            let at = start + .milliseconds(20 * sequence)
            let request = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: UInt16(sequence)))
            request.withUnsafeBytes { tap.record(.rx, $0, at: at) }
            let reply = try RecordEncoder.encode(PacketBuilder.icmpEchoReply(sequence: UInt16(sequence)))
            reply.withUnsafeBytes { tap.record(.tx, $0, at: at + .milliseconds(9)) }
        }
        [UInt8]([0xFF, 0xFF]).withUnsafeBytes { tap.record(.rx, $0, at: start + .milliseconds(150)) }
        let lastRequest = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 6))
        lastRequest.withUnsafeBytes { tap.record(.rx, $0, at: start + .milliseconds(160)) }
        Array(lastRequest.prefix(40)).withUnsafeBytes { tap.record(.rx, $0, at: start + .milliseconds(170)) }
        tap.idle(at: start + .milliseconds(1300))
        tap.close()
        return tap
    }

    @Test func rawCaptureRoundTrips() throws {
        let raw = Tools.temporaryPath("a.bin")
        defer { try? FileManager.default.removeItem(atPath: raw) }
        _ = try Self.writeCapture(raw: raw, pcap: nil)
        let data = try #require(FileManager.default.contents(atPath: raw))
        let parsed = try CaptureFile([UInt8](data), plain: false, direction: .tx)
        #expect(parsed.kind == .pcapng && parsed.timed)
        #expect(parsed.header?.baud == 115_200 && parsed.header?.frameFormat == "8N1" && parsed.header?.frameTimeoutMilliseconds == 1000)
        #expect(!parsed.notes.contains { $0.contains("cut short") })
        #expect(parsed.records.first?.kind == .note && parsed.records.first?.text == "connected 127.0.0.1:1")
        #expect(parsed.records.filter { $0.kind == .rx }.count == 8)
        #expect(parsed.records.filter { $0.kind == .tx }.count == 5)
        #expect(zip(parsed.records, parsed.records.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        // A file cut mid-block (the ISB at the end and a little more) still parses up to the last whole block.
        let cut = try CaptureFile(Array([UInt8](data).dropLast(7)), plain: false, direction: .tx)
        #expect(cut.notes.contains { $0.contains("cut short") } && cut.records.count == parsed.records.count)
    }

    @Test func livePcapngCarriesDirectionsFramesAndNotes() throws {
        let pcap = Tools.temporaryPath("live.pcapng")
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        _ = try Self.writeCapture(raw: nil, pcap: pcap)
        let rows = try Tools.tsharkFields(pcap, ["frame.packet_flags_direction", "eth.src", "ip.dst", "icmp.type",
                                                 "icmp.seq", "frame.len", "frame.cap_len", "frame.comment"])
        // 6 requests in (the 6th after two invalid length bytes), 5 replies out, 1 partial frame in.
        #expect(rows.count == 12, "\(rows)")
        let inbound = rows.filter { $0[0] == "1" || $0[0] == "0x00000001" }
        let outbound = rows.filter { $0[0] == "2" || $0[0] == "0x00000002" }
        #expect(inbound.count == 7 && outbound.count == 5, "\(rows)")
        #expect(outbound.allSatisfy { $0[1] == "02:00:00:00:00:02" && $0[2] == "192.168.100.1" && $0[3] == "0" })
        let requests = inbound.filter { $0[3] == "8" && $0[5] == $0[6] }
        #expect(requests.count == 6 && requests.allSatisfy { $0[1] == "02:00:00:00:00:01" && $0[2] == "192.168.100.2" })
        #expect(requests.last?[7].contains("invalid length 65535") == true, "\(rows)")
        let partial = rows.filter { $0[5] != $0[6] }
        #expect(partial.count == 1 && partial.first?[5] == "98" && partial.first?[6] == "38")
        #expect(partial.first?[7].contains("timeout") == true)
    }

    @Test func decodeTurnsARawCaptureIntoThePcapTheDeviceWrote() throws {
        guard Tools.hasUartTunnel else {
            throw CheckFailure("uart-tunnel executable not found at \(Tools.uartTunnel): build the package first")
        }
        let raw = Tools.temporaryPath("b.bin")
        let live = Tools.temporaryPath("b-live.pcapng")
        let decoded = Tools.temporaryPath("b-decoded.pcapng")
        let classic = Tools.temporaryPath("b-decoded.pcap")
        defer { for path in [raw, live, decoded, classic, classic + ".txt"] { try? FileManager.default.removeItem(atPath: path) } }
        _ = try Self.writeCapture(raw: raw, pcap: live)
        let run = try ChildProcess.run([Tools.uartTunnel, "decode", raw, "--pcap", decoded, "--json"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("\"frames\" : 6") && run.output.contains("\"offset\" : 500"), "\(run.output)")
        let fields = ["frame.packet_flags_direction", "eth.src", "ip.dst", "icmp.type", "icmp.seq", "frame.len", "frame.cap_len"]
        #expect(try Tools.tsharkFields(decoded, fields) == Tools.tsharkFields(live, fields))
        let pcapRun = try ChildProcess.run([Tools.uartTunnel, "decode", raw, "--pcap", classic, "--format", "pcap"])
        #expect(pcapRun.status == 0 && pcapRun.output.contains("RX"), "\(pcapRun.output)")
        #expect(try Tools.tsharkFields(classic, ["icmp.type"]).count == 12)
        let side = try String(contentsOfFile: classic + ".txt", encoding: .utf8)
        #expect(side.contains("packet 1 RX") && side.contains("invalid length 65535"))
    }

    @Test func decodePlainDumpReportsOffsets() throws {
        guard Tools.hasUartTunnel else {
            throw CheckFailure("uart-tunnel executable not found at \(Tools.uartTunnel): build the package first")
        }
        let dump = Tools.temporaryPath("plain.bin")
        let pcap = Tools.temporaryPath("plain.pcapng")
        defer { for path in [dump, pcap] { try? FileManager.default.removeItem(atPath: path) } }
        var bytes = pingStream(count: 3)  // 300 bytes
        bytes += [0x00, 0x01]  // invalid length at 300
        bytes += pingStream(count: 2)  // resync at 302
        #expect(FileManager.default.createFile(atPath: dump, contents: Data(bytes)))
        let run = try ChildProcess.run([Tools.uartTunnel, "decode", dump, "--plain", "--direction", "rx", "--pcap", pcap])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("bad lengths (offset: length): 300: 1"), "\(run.output)")
        #expect(run.output.contains("resync points (offset, after): 302 after 2 B"), "\(run.output)")
        let rows = try Tools.tsharkFields(pcap, ["frame.packet_flags_direction", "icmp.seq"])
        #expect(rows.map { $0[1] } == ["0", "1", "2", "0", "1"], "\(rows)")
    }
}
