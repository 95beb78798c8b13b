import Testing
import UartTunnelWire

@Suite struct DecoderBadLengthTests {
    static let badLengths = Array(0...13) + [1519, 0x0600, 0xFFFF]

    /// A bad length costs only its own 2 bytes: the record right after it still decodes.
    @Test(arguments: badLengths)
    func badLengthSkipsTwoBytesThenResyncs(length: Int) {
        let first = sampleFrame(length: 60, seed: 1)
        let second = sampleFrame(length: 98, seed: 2)
        let stream = record(first) + [UInt8(length >> 8), UInt8(length & 0xFF)] + record(second)

        var decoder = RecordDecoder()
        let events = feedAll([stream], into: &decoder)
        #expect(events == [.frame(first), .badLength(length, streamOffset: 62), .frame(second)])
        #expect(decoder.isIdle)
        #expect(decoder.counters == DecoderCounters(frames: 2, frameBytes: 158, badLengths: 1, bytesIn: stream.count))

        var byteWise = RecordDecoder()
        #expect(feedAll(stream.map { [$0] }, into: &byteWise) == events)
        #expect(byteWise.counters == decoder.counters)
    }

    /// Resync reads the very next byte as a length: after 0x00 0x05, bytes 0x00 0x10 are a new
    /// 16-byte length, not the frame the sender might have meant.
    @Test func nextByteAfterBadLengthIsAHighByte() {
        let frame = sampleFrame(length: 16, seed: 3)
        let stream: [UInt8] = [0x00, 0x05, 0xFF] + [0xFF] + record(frame)
        var decoder = RecordDecoder()
        let events = feedAll([stream], into: &decoder)
        #expect(events == [.badLength(5, streamOffset: 0), .badLength(0xFFFF, streamOffset: 2), .frame(frame)])
    }

    /// The two bytes of a bad length may arrive in different reads; the offset is still
    /// that of its first byte.
    @Test func badLengthSplitAcrossChunksKeepsItsOffset() {
        let frame = sampleFrame(length: 20, seed: 4)
        let chunks: [[UInt8]] = [[0x30, 0x39] + record(frame) + [0x07], [0xD0] + record(frame)]
        var decoder = RecordDecoder()
        let events = feedAll(chunks, into: &decoder)
        #expect(
            events == [
                .badLength(12345, streamOffset: 0), .frame(frame),
                .badLength(2000, streamOffset: 24), .frame(frame),
            ])
        #expect(decoder.counters.badLengths == 2)
        #expect(decoder.counters.frames == 2)
    }
}
