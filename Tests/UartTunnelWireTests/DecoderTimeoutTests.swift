import Testing
import UartTunnelWire

@Suite struct DecoderTimeoutTests {
    let t0 = ContinuousClock.now

    @Test func defaultTimeoutIsOneSecond() {
        #expect(RecordDecoder().timeout == .seconds(1))
        #expect(RecordDecoder(timeout: .milliseconds(50)).timeout == .milliseconds(50))
    }

    @Test func loneLengthByteTimesOutAfterOneSecond() {
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed([0x00], now: t0) { events.append($0) }
        #expect(decoder.deadline == t0.advanced(by: .seconds(1)))
        #expect(!decoder.isIdle)

        decoder.expire(now: t0.advanced(by: .milliseconds(999))) { events.append($0) }
        #expect(events.isEmpty, "not yet expired at 999 ms")

        decoder.expire(now: t0.advanced(by: .seconds(1))) { events.append($0) }
        #expect(events == [.timeout(expected: -1, received: 0, streamOffset: 0)])
        #expect(decoder.isIdle)
        #expect(decoder.deadline == nil)

        let frame = sampleFrame(length: 98)
        events = []
        decoder.feed(record(frame), now: t0.advanced(by: .seconds(2))) { events.append($0) }
        #expect(events == [.frame(frame)])
        #expect(decoder.counters == DecoderCounters(frames: 1, frameBytes: 98, timeouts: 1, bytesIn: 101))
    }

    @Test func frameCutShortTimesOutWithProgress() {
        let frame = sampleFrame(length: 100)
        let stream = record(frame)
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed(record(sampleFrame(length: 14)), now: t0) { events.append($0) }  // 16 bytes before
        decoder.feed(stream[0..<42], now: t0) { events.append($0) }
        #expect(events.count == 1)
        decoder.expire(now: t0.advanced(by: .milliseconds(999))) { events.append($0) }
        #expect(events.count == 1)
        decoder.expire(now: t0.advanced(by: .milliseconds(1500))) { events.append($0) }
        #expect(events.last == .timeout(expected: 100, received: 40, streamOffset: 16))
        #expect(decoder.counters.timeouts == 1)
    }

    /// Bytes arriving after the deadline first drop the stale record, then start a new one.
    @Test func feedAfterDeadlineDropsStaleRecordFirst() {
        let stale = record(sampleFrame(length: 200, seed: 1))
        let fresh = sampleFrame(length: 60, seed: 2)
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed(stale[0..<150], now: t0) { events.append($0) }
        decoder.feed(record(fresh), now: t0.advanced(by: .seconds(1))) { events.append($0) }
        #expect(events == [.timeout(expected: 200, received: 148, streamOffset: 0), .frame(fresh)])
    }

    /// Bytes arriving before the deadline finish the record, however late within it.
    @Test func completionJustBeforeDeadlineDecodes() {
        let frame = sampleFrame(length: 500)
        let stream = record(frame)
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed(stream[0..<300], now: t0) { events.append($0) }
        decoder.feed(stream[300...], now: t0.advanced(by: .milliseconds(999))) { events.append($0) }
        #expect(events == [.frame(frame)])
    }

    /// The firmware reads the frame with one timeout: body bytes do not extend the deadline.
    @Test func bodyBytesDoNotExtendTheDeadline() {
        let stream = record(sampleFrame(length: 300))
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed(stream[0..<10], now: t0) { events.append($0) }
        decoder.feed(stream[10..<200], now: t0.advanced(by: .milliseconds(900))) { events.append($0) }
        #expect(decoder.deadline == t0.advanced(by: .seconds(1)))
        decoder.expire(now: t0.advanced(by: .seconds(1))) { events.append($0) }
        #expect(events == [.timeout(expected: 300, received: 198, streamOffset: 0)])
    }

    /// The deadline restarts when the second length byte completes the prefix.
    @Test func deadlineRunsFromCompletedLength() {
        let frame = sampleFrame(length: 40)
        let stream = record(frame)
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed(stream[0..<1], now: t0) { events.append($0) }
        decoder.feed(stream[1..<2], now: t0.advanced(by: .milliseconds(800))) { events.append($0) }
        #expect(decoder.deadline == t0.advanced(by: .milliseconds(1800)))
        decoder.expire(now: t0.advanced(by: .milliseconds(1500))) { events.append($0) }
        decoder.feed(stream[2...], now: t0.advanced(by: .milliseconds(1700))) { events.append($0) }
        #expect(events == [.frame(frame)])
    }

    @Test func resetMidFrameDiscardsThenDecodesFresh() {
        let cut = record(sampleFrame(length: 100, seed: 1))
        let fresh = sampleFrame(length: 80, seed: 2)
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.reset { events.append($0) }
        #expect(events.isEmpty, "reset while idle reports nothing")

        decoder.feed(record(fresh), now: t0) { events.append($0) }
        decoder.feed(cut[0..<42], now: t0) { events.append($0) }
        decoder.reset { events.append($0) }
        #expect(decoder.isIdle)
        #expect(decoder.deadline == nil)
        decoder.feed(record(fresh), now: t0) { events.append($0) }
        #expect(
            events == [.frame(fresh), .discarded(expected: 100, received: 40, streamOffset: 82), .frame(fresh)])
        #expect(decoder.counters.discarded == 1)
        #expect(decoder.counters.timeouts == 0)
    }

    @Test func resetAfterLoneLengthByte() {
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed([0x05], now: t0) { events.append($0) }
        decoder.reset { events.append($0) }
        #expect(events == [.discarded(expected: -1, received: 0, streamOffset: 0)])
    }

    /// 20 KB of noise, a silence long enough to expire whatever it left half-read,
    /// then a real frame: the frame must come through, and every byte is accounted for.
    @Test(arguments: [UInt64(1), 2, 3, 42])
    func noiseThenSilenceThenFrame(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let noise = randomBytes(20 * 1024, using: &rng)
        let sizes = (0..<16).map { _ in Int.random(in: 1...3000, using: &rng) }
        var decoder = RecordDecoder()
        var events = feedAll(chunked(noise, sizes: sizes), into: &decoder, now: t0)
        decoder.expire(now: t0.advanced(by: .seconds(1))) { events.append($0) }
        #expect(decoder.isIdle)
        #expect(accountedBytes(of: events, in: noise) == noise.count)

        let frame = PacketBuilder.icmpEchoRequest(sequence: 7)
        var after: [DecoderEvent] = []
        decoder.feed(record(frame), now: t0.advanced(by: .seconds(1))) { after.append($0) }
        #expect(after == [.frame(frame)])

        let all = events + after
        func count(_ match: (DecoderEvent) -> Bool) -> Int { all.filter(match).count }
        let counters = decoder.counters
        #expect(counters.frames == count { if case .frame = $0 { true } else { false } })
        #expect(counters.badLengths == count { if case .badLength = $0 { true } else { false } })
        #expect(counters.timeouts == count { if case .timeout = $0 { true } else { false } })
        #expect(counters.badLengths > 0)
        #expect(counters.discarded == 0)
        #expect(counters.bytesIn == noise.count + frame.count + 2)
    }
}
