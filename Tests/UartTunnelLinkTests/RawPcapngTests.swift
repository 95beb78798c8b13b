import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport
@testable import UartTunnelLink
import UartTunnelWire

/// The raw capture as pcapng: tshark reads the UART bytes (interface uart1-bytes, LINKTYPE_USER0) and the decoded
/// frames (interface uart1) from one file; `decode` reads it back, and still reads the older UTRAW files.
@Suite(.serialized, .ownThreads)
struct RawPcapngTests {
    /// tshark shows LINKTYPE_USER0 as data once the user_dlts table maps it (the README gives the same line).
    static let userDLT = #"uat:user_dlts:"User 0 (DLT=147)","data","0","","0","""#

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test(.enabled(if: Tools.tsharkTestsEnabled, "tshark is not installed (scripts/install-deps installs it)"))
    func tsharkReadsBytesAndFramesFromTheOneFile() throws {
        let raw = Tools.temporaryPath("raw.pcapng")
        let frames = Tools.temporaryPath("frames.pcapng")
        defer { for path in [raw, frames] { try? FileManager.default.removeItem(atPath: path) } }
        _ = try CaptureRoundTripTests.writeCapture(raw: raw, pcap: frames)
        let rows = try Tools.tsharkFields(raw, ["frame.interface_id", "frame.packet_flags_direction", "data.data",
                                                "frame.comment", "frame.len"], options: ["-o", Self.userDLT])
        let bytes = rows.filter { $0[0] == "1" }
        // 1 note + 8 RX reads (5 requests, junk, a request, a partial one) + 5 TX writes; 12 decoded frames.
        #expect(bytes.count == 14 && rows.filter { $0[0] == "0" }.count == 12, "\(rows)")
        #expect(bytes.first?[3] == "connected 127.0.0.1:1" && bytes.first?[4] == "0", "\(rows)")
        let request = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 1))
        #expect(bytes.dropFirst().first?[2] == Self.hex(request), "the first RX read is the first request record, length prefix and all")
        #expect(bytes.filter { ["1", "0x00000001"].contains($0[1]) }.count == 8, "\(rows)")
        #expect(bytes.filter { ["2", "0x00000002"].contains($0[1]) }.count == 5, "\(rows)")
        #expect(bytes.contains { $0[2] == "ffff" }, "the junk bytes are there as they crossed")
        // Interface uart1 holds exactly what --capture wrote from the same stream.
        let fields = ["frame.packet_flags_direction", "eth.src", "ip.dst", "icmp.type", "icmp.seq", "frame.len",
                      "frame.cap_len", "frame.comment"]
        #expect(try Tools.tsharkFields(raw, fields, filter: "frame.interface_id == 0") == Tools.tsharkFields(frames, fields))
    }

    @Test func decodeReadsTheRawPcapngAsItReadTheOldFormat() throws {
        let raw = Tools.temporaryPath("decode.pcapng")
        defer { try? FileManager.default.removeItem(atPath: raw) }
        _ = try CaptureRoundTripTests.writeCapture(raw: raw, pcap: nil)
        let data = try [UInt8](#require(FileManager.default.contents(atPath: raw)))
        let result = try CaptureDecoding.decode(data, plain: false, direction: .tx, pcap: nil, format: .pcapng, frameTimeoutMs: nil)
        #expect(result.kind == .pcapng)
        #expect(result.reports.map(\.frames) == [6, 5])
        #expect(result.reports[0].badLengths.map(\.length) == [0xFFFF])
        #expect(result.reports[0].partialFrames.map(\.reason) == ["timeout"], "the 1.3 s gap times the partial frame out")
        #expect(result.notes.first == "line: paced 115200 8N1, frame timeout 1000 ms")
    }

    @Test func anOldUTRAWFileStillDecodes() throws {
        var file = RawCaptureFormat.Header(baud: 0, startNanoseconds: 1_000, frameFormat: "8N1", frameTimeoutMilliseconds: 500).bytes
        func record(_ timestamp: Int64, _ kind: RawCaptureFormat.Kind, _ bytes: [UInt8]) {
            file.appendLittleEndian(UInt64(timestamp))
            file.append(kind.rawValue)
            file.appendLittleEndian(UInt32(bytes.count))
            file += bytes
        }
        record(1_000, .note, Array("connected 127.0.0.1:9".utf8))
        record(2_000, .rx, try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 1)))
        record(3_000, .tx, try RecordEncoder.encode(PacketBuilder.icmpEchoReply(sequence: 1)))
        record(4_000, .rx, [0x00, 0x01])
        let result = try CaptureDecoding.decode(file, plain: false, direction: .tx, pcap: nil, format: .pcapng, frameTimeoutMs: nil)
        #expect(result.kind == .raw && result.reports.map(\.frames) == [1, 1])
        #expect(result.reports[0].badLengths == [.init(offset: 100, length: 1)])
        #expect(result.notes.first == "line: unpaced, frame timeout 500 ms")
    }

    @Test func aPcapngOfFramesAloneIsNamedAsSuch() throws {
        let pcap = Tools.temporaryPath("frames.pcapng")
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        _ = try CaptureRoundTripTests.writeCapture(raw: nil, pcap: pcap)
        let data = try [UInt8](#require(FileManager.default.contents(atPath: pcap)))
        let error = #expect(throws: RawCaptureFormat.FormatError.self) { try CaptureFile(data, plain: false, direction: .tx) }
        #expect(error?.description.contains("decoded frames only") == true && error?.description.contains("--raw") == true)
    }

    /// Two threads stamp a moment apart and take the tap's lock in the other order: the file still never goes back.
    @Test func stampsNeverGoBackEvenWhenCallersRace() throws {
        let raw = Tools.temporaryPath("race.pcapng")
        defer { try? FileManager.default.removeItem(atPath: raw) }
        let tap = try CaptureTap(rawPath: raw, packetPath: nil, packetFormat: .pcapng, rate: nil, frameTimeout: .seconds(1))
        let now = ContinuousClock.now
        [UInt8]([0x00]).withUnsafeBytes { tap.record(.rx, $0, at: now + .milliseconds(5)) }
        [UInt8]([0x0E]).withUnsafeBytes { tap.record(.tx, $0, at: now) }  // stamped earlier, recorded later
        tap.close()
        let data = try [UInt8](#require(FileManager.default.contents(atPath: raw)))
        let file = try CaptureFile(data, plain: false, direction: .tx)
        #expect(file.records.count == 2 && file.records[0].timestamp == file.records[1].timestamp)
    }
}
