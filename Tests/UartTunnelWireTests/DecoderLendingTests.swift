import Testing
import UartTunnelWire

/// `feed(_:now:lending:_:)`, the API the fuzz target and any caller that copies frames on anyway use, against the
/// owning `feed(_:now:_:)`: the same frames (copied out of the lent bytes during the call), the same other events
/// in the same order, the same counters and state, for the fast path's streams in random chunks at moving instants.
@Suite struct DecoderLendingTests {
    @Test func lentFramesAreTheOwnedFramesInTheSameOrder() {
        var rng = SplitMix64(seed: 11)
        var frames = 0
        for round in 0..<60 {
            let stream = DecoderFastPathTests.randomStream(maxFrame: WireFormat.maxFrameLength, using: &rng)
            var owning = RecordDecoder()
            var lending = RecordDecoder()
            var owned: [DecoderEvent] = []
            var lent: [DecoderEvent] = []
            var at = DecoderFastPathTests.t0
            for chunk in chunked(stream, sizes: [Int.random(in: 1...700, using: &rng)]) {
                at = at.advanced(by: .milliseconds(Int.random(in: 0...1200, using: &rng)))
                owning.feed(chunk, now: at) { owned.append($0) }
                chunk.withUnsafeBytes { bytes in
                    lending.feed(bytes, now: at, lending: { lent.append(.frame([UInt8]($0))) }, { lent.append($0) })
                }
            }
            #expect(lent == owned, "round \(round)")
            frames += owned.count { if case .frame = $0 { true } else { false } }
            #expect(lending.counters == owning.counters, "round \(round)")
            #expect(lending.description == owning.description, "round \(round)")
        }
        #expect(frames > 60, "the rounds delivered \(frames) frames")
    }

    /// A frame assembled across chunks is lent from the decoder's own buffer, one delivered whole from the chunk:
    /// both kinds arrive, and a lent frame's bytes are the record's.
    @Test func framesAreLentFromTheChunkAndFromTheAssemblyBuffer() {
        let first = sampleFrame(length: 60, seed: 1)
        let second = sampleFrame(length: 1518, seed: 2)
        let stream = record(first) + record(second)
        var decoder = RecordDecoder()
        var frames: [[UInt8]] = []
        var fromChunk: [Bool] = []
        for chunk in [Array(stream[..<700]), Array(stream[700...])] {
            chunk.withUnsafeBytes { bytes in
                decoder.feed(bytes, now: DecoderFastPathTests.t0, lending: { frame in
                    frames.append([UInt8](frame))
                    fromChunk.append(frame.baseAddress! >= bytes.baseAddress! && frame.baseAddress! < bytes.baseAddress! + bytes.count)
                }, { Issue.record("unexpected \($0)") })
            }
        }
        #expect(frames == [first, second])
        #expect(fromChunk == [true, false])
    }
}
