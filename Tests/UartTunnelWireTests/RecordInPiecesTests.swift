import Testing
import UartTunnelWire

/// `RecordEncoder.record(frameLength:writeFrame:)`: the encoder's record for a frame copied in pieces (the Swift
/// netif's pbuf chain), with the same header and bounds as `encode`.
@Suite struct RecordInPiecesTests {
    @Test(arguments: [14, 98, 256, 1518])
    func sameBytesAsEncode(length: Int) throws {
        let frame = sampleFrame(length: length, seed: 7)
        let pieces = [frame[..<(length / 3)], frame[(length / 3)...]]
        let record = try RecordEncoder.record(frameLength: length) { buffer in
            var offset = 0
            for piece in pieces {
                buffer.baseAddress!.advanced(by: offset).copyMemory(from: Array(piece), byteCount: piece.count)
                offset += piece.count
            }
        }
        #expect(record == (try RecordEncoder.encode(frame)))
        #expect(Array(record.prefix(2)) == [UInt8(length >> 8), UInt8(length & 0xFF)])
    }

    @Test(arguments: [0, 13, 1519, 65535])
    func refusesInvalidLengthsWithoutCallingTheWriter(length: Int) {
        var called = false
        #expect(throws: WireError.frameLength(length)) {
            try RecordEncoder.record(frameLength: length) { _ in called = true }
        }
        #expect(!called)
    }

    @Test func bufferIsExactlyTheFrameAndStartsZeroed() throws {
        var seen: [UInt8] = []
        let record = try RecordEncoder.record(frameLength: 20) { buffer in seen = Array(buffer) }
        #expect(seen == [UInt8](repeating: 0, count: 20))
        #expect(record == [0x00, 20] + [UInt8](repeating: 0, count: 20))
    }
}
