import Foundation
import PropertyBased
import Testing
import UartTunnelChecks
@testable import UartTunnelLink
import UartTunnelWire

/// `decode`'s readers under hostile input (issue 15, item 7): random bytes, valid captures with random bytes
/// overwritten or cut off, and random text in the hex dumps' alphabet. None may trap (a trap ends this test
/// process); each either decodes or throws a ``RawCaptureFormat/FormatError`` with a message.
@Suite struct CaptureFuzzTests {
    /// A raw pcapng and an old UTRAW capture of a few pings, junk and a partial frame, made once.
    static let seeds: [[UInt8]] = {
        let raw = Tools.temporaryPath("fuzz-seed.pcapng")
        defer { try? FileManager.default.removeItem(atPath: raw) }
        _ = try! CaptureRoundTripTests.writeCapture(raw: raw, pcap: nil)
        let pcapng = [UInt8](FileManager.default.contents(atPath: raw)!)
        var utraw = RawCaptureFormat.Header(baud: 115_200, startNanoseconds: 5, frameFormat: "8N1", frameTimeoutMilliseconds: 1000).bytes
        for (index, record) in [try! RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 1)), [0xFF, 0xFF, 0x00]].enumerated() {
            utraw.appendLittleEndian(UInt64(index * 1000))
            utraw.append(UInt8(index % 2))
            utraw.appendLittleEndian(UInt32(record.count))
            utraw += record
        }
        return [pcapng, utraw]
    }()

    /// Decodes `data` both ways (as a capture, and as a --plain dump); only a FormatError may come out.
    static func survives(_ data: [UInt8]) {
        for plain in [false, true] {
            do {
                _ = try CaptureDecoding.decode(data, plain: plain, direction: .rx, pcap: nil, format: .pcapng, frameTimeoutMs: nil)
            } catch let error as RawCaptureFormat.FormatError {
                #expect(!error.description.isEmpty)
            } catch {
                Issue.record("not a format error: \(error)")
            }
        }
    }

    @Test func randomBytesBehindEachMagic() async {
        let magics: [[UInt8]] = [[], [0x0A, 0x0D, 0x0D, 0x0A], RawCaptureFormat.magic, Array("00000000: ".utf8)]
        await propertyCheck(count: 300, input: Gen.int(in: 0...3), Gen.uint8().array(of: 0...600)) { magic, tail in
            Self.survives(magics[magic] + tail)
        }
    }

    @Test(arguments: [0, 1])
    func validCapturesWithBytesOverwrittenOrCut(seed: Int) async {
        let original = Self.seeds[seed]
        await propertyCheck(count: 300, input: Gen.int(in: 0..<original.count).array(of: 1...6), Gen.uint8().array(of: 6),
                            Gen.int(in: 0...original.count)) { positions, values, length in
            var data = original
            for (position, value) in zip(positions, values) { data[position] = value }
            Self.survives(Array(data.prefix(length)))
        }
    }

    /// Stamps far apart (the 9e18 reproducer's kind) in a pcapng: an overflow is a clear error, never a trap.
    @Test func extremeTimestampsInAPcapng() async {
        let original = Self.seeds[0]
        // Every EPB's timestamp sits 12 bytes into the block; overwrite the high words with random ones.
        let reader = try! PcapngReader(original)
        let offsets = reader.packets.map { $0.offset + 12 }
        await propertyCheck(count: 200, input: Gen.int(in: 0..<offsets.count), Gen.uint32(), Gen.uint8(in: 0...0xFF)) { index, high, resolution in
            var data = original
            data.replaceSubrange(offsets[index]..<(offsets[index] + 4), with: withUnsafeBytes(of: high.littleEndian, Array.init))
            // and sometimes the byte interface's if_tsresol, so the scaling overflows too
            if let tsresol = Self.optionValueOffset(in: data, code: 9) { data[tsresol] = resolution }
            Self.survives(data)
        }
    }

    /// Where the last IDB option with `code` keeps its first value byte.
    static func optionValueOffset(in data: [UInt8], code: UInt16) -> Int? {
        var found: Int?
        var offset = 0
        while offset + 12 <= data.count {
            let type = data.u32le(at: offset)
            let total = Int(data.u32le(at: offset + 4))
            guard total >= 12, offset + total <= data.count else { break }
            if type == 1 {
                var position = offset + 16
                while position + 4 <= offset + total - 4 {
                    let optionCode = UInt16(data[position]) | UInt16(data[position + 1]) << 8
                    let length = Int(UInt16(data[position + 2]) | UInt16(data[position + 3]) << 8)
                    if optionCode == 0 { break }
                    if optionCode == code { found = position + 4 }
                    position += 4 + (length + 3) / 4 * 4
                }
            }
            offset += total
        }
        return found
    }

    @Test func randomTextInTheHexDumpsAlphabet() async {
        let alphabet = Array("0123456789abcdefABCDEF:|>*x. \t\n".utf8)
        await propertyCheck(count: 400, input: Gen.int(in: 0..<alphabet.count).array(of: 1...400)) { indices in
            Self.survives(indices.map { alphabet[$0] })
        }
    }

    /// Bytes printed as od -An -tx1 and as xxd would (including short last lines) read back exactly.
    @Test func hexTextRoundTrips() async {
        await propertyCheck(count: 200, input: Gen.uint8().array(of: 1...300)) { bytes in
            let hex = bytes.map { String(format: "%02x", $0) }
            let od = stride(from: 0, to: hex.count, by: 16).map { " " + hex[$0..<min($0 + 16, hex.count)].joined(separator: " ") }
            let xxd = stride(from: 0, to: hex.count, by: 16).map { start -> String in
                let line = hex[start..<min(start + 16, hex.count)]
                let words = stride(from: 0, to: line.count, by: 2).map { line.dropFirst($0).prefix(2).joined() }
                return String(format: "%08x: ", start) + words.joined(separator: " ").padding(toLength: 39, withPad: " ", startingAt: 0)
                    + "  " + String(repeating: ".", count: line.count)
            }
            for text in [od, xxd] {
                let reader = try? HexDumpReader(text: Array((text.joined(separator: "\n") + "\n").utf8))
                #expect(reader?.bytes == bytes, "\(text.first ?? "")")
            }
        }
    }
}
