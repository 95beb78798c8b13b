import Testing
import UartTunnelWire

/// The decoder's fast paths (whole records copied straight out of a chunk, runs of bad lengths skipped in one loop)
/// against its slow path (one byte per `feed`: every record is assembled byte by byte through the lone-length-byte
/// and body states). Fed the same stream at the same instants, both must emit the same events — frames, bad lengths
/// and timeouts with their stream offsets — and end with the same counters, state and deadline, whatever the
/// chunking: records split at every byte position, several records and bad lengths in one chunk, cut records.
@Suite struct DecoderFastPathTests {
    /// What a decoder shows after some input: its events so far and everything it exposes.
    struct Outcome: Equatable, CustomStringConvertible {
        var events: [DecoderEvent]
        var counters: DecoderCounters
        var state: String
        var deadline: ContinuousClock.Instant?

        init(_ events: [DecoderEvent], _ decoder: RecordDecoder) {
            self.events = events
            counters = decoder.counters
            state = decoder.description
            deadline = decoder.deadline
        }

        var description: String { "\(state), \(events.count) events: \(events.prefix(8))" }
    }

    /// Chunk by chunk, each at its instant; `idleUntil` (if any) is an expire call after the chunk, as a link does
    /// when a read returns nothing.
    struct Delivery {
        var bytes: [UInt8]
        var at: ContinuousClock.Instant
        var idleUntil: ContinuousClock.Instant?
    }

    static let t0 = ContinuousClock.now

    /// The chunks as given (fast paths), and the slow path: the same `expire` a `feed` starts with, then every byte
    /// on its own at the chunk's instant. Compared after every delivery, not only at the end.
    static func compare(_ deliveries: [Delivery], maxFrame: Int = WireFormat.maxFrameLength,
                        timeout: Duration = .seconds(1), _ comment: @autoclosure () -> String = "") {
        var fast = RecordDecoder(timeout: timeout, maxFrame: maxFrame)
        var slow = RecordDecoder(timeout: timeout, maxFrame: maxFrame)
        var fastEvents: [DecoderEvent] = []
        var slowEvents: [DecoderEvent] = []
        for (number, delivery) in deliveries.enumerated() {
            fast.feed(delivery.bytes, now: delivery.at) { fastEvents.append($0) }
            slow.expire(now: delivery.at) { slowEvents.append($0) }
            for byte in delivery.bytes {
                slow.feed([byte], now: delivery.at) { slowEvents.append($0) }
            }
            if let idle = delivery.idleUntil {
                fast.expire(now: idle) { fastEvents.append($0) }
                slow.expire(now: idle) { slowEvents.append($0) }
            }
            let fastOutcome = Outcome(fastEvents, fast)
            let slowOutcome = Outcome(slowEvents, slow)
            guard fastOutcome == slowOutcome else {
                let message = "after delivery \(number + 1) of \(deliveries.count) \(comment()):\n"
                    + "chunked:      \(fastOutcome)\nbyte by byte: \(slowOutcome)"
                Issue.record("\(message)")
                return
            }
        }
    }

    /// All chunks at one instant: the slow path's outcome after every prefix of the stream is computed once, and
    /// the chunked decoder must match it after each chunk.
    static func compare(chunks: [[UInt8]], against slowPath: [Outcome], maxFrame: Int = WireFormat.maxFrameLength,
                        _ comment: @autoclosure () -> String = "") {
        var fast = RecordDecoder(maxFrame: maxFrame)
        var events: [DecoderEvent] = []
        var fed = 0
        for (number, chunk) in chunks.enumerated() {
            fast.feed(chunk, now: t0) { events.append($0) }
            fed += chunk.count
            let outcome = Outcome(events, fast)
            guard outcome == slowPath[fed] else {
                let message = "after chunk \(number + 1) of \(chunks.count) (\(fed) bytes) \(comment()):\n"
                    + "chunked:      \(outcome)\nbyte by byte: \(slowPath[fed])"
                Issue.record("\(message)")
                return
            }
        }
    }

    /// The slow path's outcome after each prefix of `stream` (index k: after its first k bytes), fed at `t0`.
    static func slowPath(_ stream: [UInt8], maxFrame: Int = WireFormat.maxFrameLength) -> [Outcome] {
        var decoder = RecordDecoder(maxFrame: maxFrame)
        var events: [DecoderEvent] = []
        var outcomes = [Outcome(events, decoder)]
        for byte in stream {
            decoder.feed([byte], now: t0) { events.append($0) }
            outcomes.append(Outcome(events, decoder))
        }
        return outcomes
    }

    /// Valid records, bad lengths (low and high, one followed by what its length announced: 15 more bad lengths)
    /// and a cut record at the end: the awkward stream every chunking below is tried on.
    static let awkwardStream: [UInt8] =
        record(sampleFrame(length: 14, seed: 1)) + [0x00, 0x00] + record(sampleFrame(length: 60, seed: 2))
        + [0x05, 0xEF] + [UInt8](repeating: 0xAA, count: 30) + [0x00, 0x0D] + record(sampleFrame(length: 1518, seed: 4))
        + [0xFF, 0xFF] + record(sampleFrame(length: 15, seed: 5)) + record(sampleFrame(length: 98, seed: 6))
        + [0x00, 0xC8] + sampleFrame(length: 50, seed: 7)

    @Test func theAwkwardStreamDecodesAsExpected() {
        // Anchors the comparison: the slow path itself gives the stream's known events, not just any agreement.
        let end = Self.slowPath(Self.awkwardStream).last!
        #expect(end.counters.frames == 5)
        #expect(end.counters.badLengths == 19)
        #expect(accountedBytes(of: end.events, in: Self.awkwardStream) == Self.awkwardStream.count - 52)
        #expect(end.state.hasPrefix("RecordDecoder(frame 50/200 bytes"))
    }

    @Test func splitInTwoAtEveryPosition() {
        let stream = Self.awkwardStream
        let slowPath = Self.slowPath(stream)
        for cut in 0...stream.count {
            Self.compare(chunks: [Array(stream[..<cut]), Array(stream[cut...])], against: slowPath, "cut at \(cut)")
        }
    }

    @Test func splitInThreeAtEveryPairOfPositions() {
        // A shorter stream, so every pair stays cheap: two records around bad lengths and a lone length byte.
        let stream = record(sampleFrame(length: 14, seed: 8)) + [0x00, 0x01, 0x06, 0x00]
            + record(sampleFrame(length: 20, seed: 9)) + [0x00]
        let slowPath = Self.slowPath(stream)
        for first in 0...stream.count {
            for second in first...stream.count {
                Self.compare(chunks: [Array(stream[..<first]), Array(stream[first..<second]), Array(stream[second...])],
                             against: slowPath, "cut at \(first) and \(second)")
            }
        }
    }

    @Test(arguments: [1, 2, 3, 13, 16, 17, 64, 128, 1519, 1520, 4096])
    func fixedChunkSizes(size: Int) {
        let stream = Self.awkwardStream + Self.awkwardStream
        Self.compare(chunks: chunked(stream, sizes: [size]), against: Self.slowPath(stream), "chunks of \(size)")
    }

    /// Random streams of records, bad lengths and junk, in random chunks.
    @Test(arguments: [(WireFormat.maxFrameLength, UInt64(1)), (9018, 2)])
    func randomStreamsInRandomChunks(maxFrame: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for round in 0..<60 {
            let stream = Self.randomStream(maxFrame: maxFrame, using: &rng)
            let sizes = (0..<6).map { _ in Int.random(in: 1...(rng.next() % 2 == 0 ? 40 : 3100), using: &rng) }
            Self.compare(chunks: chunked(stream, sizes: sizes), against: Self.slowPath(stream, maxFrame: maxFrame),
                         maxFrame: maxFrame, "round \(round), sizes \(sizes)")
        }
    }

    /// Chunks at moving instants with idle stretches between: partial records time out at the same place, with
    /// the same offsets and progress, on both paths.
    @Test func timeoutsAtTheSameInstants() {
        var rng = SplitMix64(seed: 3)
        for round in 0..<60 {
            let stream = Self.randomStream(maxFrame: WireFormat.maxFrameLength, using: &rng)
            var at = Self.t0
            var deliveries: [Delivery] = []
            for chunk in chunked(stream, sizes: [Int.random(in: 1...700, using: &rng)]) {
                at = at.advanced(by: .milliseconds(Int.random(in: 0...1500, using: &rng)))
                let pause = Duration.milliseconds(Int.random(in: 0...2000, using: &rng))
                let idle = rng.next() % 3 == 0 ? at.advanced(by: pause) : nil
                deliveries.append(Delivery(bytes: chunk, at: at, idleUntil: idle))
                if let idle { at = idle }
            }
            Self.compare(deliveries, "round \(round)")
        }
    }

    /// A few records of any valid length (the shortest and longest often), bad lengths of every kind, lone bytes.
    static func randomStream(maxFrame: Int, using rng: inout SplitMix64) -> [UInt8] {
        var stream: [UInt8] = []
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            switch rng.next() % 6 {
            case 0, 1:
                let length = [14, maxFrame, Int.random(in: 14...maxFrame, using: &rng)][Int(rng.next() % 3)]
                stream += try! RecordEncoder.encode(sampleFrame(length: length, seed: rng.next()), maxFrame: maxFrame)
            case 2:
                let length = Int.random(in: 0...13, using: &rng)
                stream += [UInt8(length >> 8), UInt8(length & 0xFF)]
            case 3:
                let length = Int.random(in: (maxFrame + 1)...0xFFFF, using: &rng)
                stream += [UInt8(length >> 8), UInt8(length & 0xFF)] + randomBytes(Int(rng.next() % 40), using: &rng)
            case 4:
                stream += randomBytes(Int.random(in: 1...300, using: &rng), using: &rng)
            default:
                stream += [UInt8(truncatingIfNeeded: rng.next())]
            }
        }
        return stream
    }
}
