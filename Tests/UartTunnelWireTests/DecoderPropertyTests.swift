import PropertyBased
import Testing
import UartTunnelWire

@Suite struct DecoderPropertyTests {
    /// Any valid frames, cut into any chunks, come out whole and in order.
    @Test func roundTripInAnyChunking() async {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 14...1518).array(of: 1...10), Gen.uint64(), Gen.int(in: 1...3100).array(of: 1...8)
        ) { lengths, seed, sizes in
            let frames = lengths.enumerated().map { sampleFrame(length: $0.element, seed: seed &+ UInt64($0.offset)) }
            let stream = frames.flatMap(record)
            var decoder = RecordDecoder()
            let events = feedAll(chunked(stream, sizes: sizes), into: &decoder)
            #expect(events == frames.map(DecoderEvent.frame))
            #expect(decoder.isIdle)
            #expect(decoder.counters == DecoderCounters(
                frames: frames.count, frameBytes: lengths.reduce(0, +), bytesIn: stream.count))
        }
    }

    /// Arbitrary bytes never trap, and every event matches the raw stream: frames have a
    /// valid length equal to the one announced before them, bad lengths sit where the
    /// previous record ended, and a final reset accounts for every remaining byte.
    @Test(arguments: [UInt8.max, 6])  // 0...6 as high bytes hits valid lengths often
    func junkIsAccountedForExactly(maxByte: UInt8) async {
        await propertyCheck(
            count: 150,
            input: Gen.uint8(in: 0...maxByte).array(of: 0...4000), Gen.int(in: 1...2000).array(of: 1...6)
        ) { stream, sizes in
            var decoder = RecordDecoder()
            var events = feedAll(chunked(stream, sizes: sizes), into: &decoder)
            decoder.reset { events.append($0) }
            for case .frame(let frame) in events {
                #expect(WireFormat.validFrameLengths.contains(frame.count))
            }
            #expect(accountedBytes(of: events, in: stream) == stream.count)
            #expect(decoder.counters.bytesIn == stream.count)
        }
    }

    /// Junk followed by silence always leaves the decoder ready for a clean record.
    @Test func junkThenTimeoutThenRecord() async {
        await propertyCheck(
            count: 100, input: Gen.uint8().array(of: 0...3000), Gen.int(in: 14...1518)
        ) { junk, length in
            let t0 = ContinuousClock.now
            var decoder = RecordDecoder()
            _ = feedAll([junk], into: &decoder, now: t0)
            decoder.expire(now: t0.advanced(by: .seconds(1))) { _ in }
            #expect(decoder.isIdle)
            let frame = sampleFrame(length: length)
            #expect(feedAll([record(frame)], into: &decoder, now: t0.advanced(by: .seconds(1))) == [.frame(frame)])
        }
    }
}
