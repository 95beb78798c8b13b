import Testing
import UartTunnelWire

@Suite struct DecoderChunkingTests {
    /// A record split in two at every possible position decodes to the same single frame.
    @Test(arguments: [14, 98, 1518])
    func splitAtEveryPosition(length: Int) {
        let frame = sampleFrame(length: length)
        let stream = record(frame)
        for cut in 0...stream.count {
            var decoder = RecordDecoder()
            let events = feedAll([Array(stream[..<cut]), Array(stream[cut...])], into: &decoder)
            #expect(events == [.frame(frame)], "cut at \(cut)")
            #expect(decoder.isIdle)
            #expect(decoder.deadline == nil)
        }
    }

    @Test func byteByByte() {
        let frame = sampleFrame(length: 342)
        let stream = record(frame)
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        for (index, byte) in stream.enumerated() {
            decoder.feed([byte], now: .now) { events.append($0) }
            if index < stream.count - 1 {
                #expect(events.isEmpty)
                #expect(!decoder.isIdle)
            }
        }
        #expect(events == [.frame(frame)])
        #expect(decoder.counters == DecoderCounters(frames: 1, frameBytes: 342, bytesIn: 344))
    }

    @Test func manyRecordsInOneChunk() {
        let lengths = [14, 1518, 60, 98, 15, 1514, 200, 14, 1000, 1517]
        let frames = lengths.enumerated().map { sampleFrame(length: $0.element, seed: UInt64($0.offset)) }
        let stream = frames.flatMap(record)
        var decoder = RecordDecoder()
        let events = feedAll([stream], into: &decoder)
        #expect(events == frames.map(DecoderEvent.frame))
        #expect(decoder.counters.frames == lengths.count)
        #expect(decoder.counters.frameBytes == lengths.reduce(0, +))
        #expect(decoder.counters.bytesIn == stream.count)
        #expect(decoder.isIdle)
    }

    /// Records that straddle reads: chunk sizes unrelated to record sizes.
    @Test(arguments: [1, 3, 7, 64, 1000, 1517, 1520, 4096])
    func recordsAcrossFixedChunks(chunkSize: Int) {
        let frames = (0..<12).map { sampleFrame(length: 14 + $0 * 131, seed: UInt64($0)) }
        let stream = frames.flatMap(record)
        var decoder = RecordDecoder()
        #expect(feedAll(chunked(stream, sizes: [chunkSize]), into: &decoder) == frames.map(DecoderEvent.frame))
    }

    /// The raw-buffer entry point and a non-contiguous collection give the same result.
    @Test func rawBufferAndLazyCollectionEntryPoints() {
        let frames = [sampleFrame(length: 70, seed: 1), sampleFrame(length: 1518, seed: 2)]
        let stream = frames.flatMap(record)
        let now = ContinuousClock.now

        var raw = RecordDecoder()
        var rawEvents: [DecoderEvent] = []
        stream.withUnsafeBytes { buffer in
            raw.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<50]), now: now) { rawEvents.append($0) }
            raw.feed(UnsafeRawBufferPointer(rebasing: buffer[50...]), now: now) { rawEvents.append($0) }
        }
        #expect(rawEvents == frames.map(DecoderEvent.frame))

        var lazy = RecordDecoder()
        var lazyEvents: [DecoderEvent] = []
        let view = stream.indices.lazy.map { stream[$0] }  // no contiguous storage
        lazy.feed(view, now: now) { lazyEvents.append($0) }
        #expect(lazyEvents == rawEvents)
        #expect(lazy.counters == raw.counters)
    }

    @Test func emptyFeedChangesNothing() {
        var decoder = RecordDecoder()
        let events = feedAll([[], [0x00], []], into: &decoder)
        #expect(events.isEmpty)
        #expect(decoder.counters.bytesIn == 1)
        #expect(!decoder.isIdle)
    }
}
