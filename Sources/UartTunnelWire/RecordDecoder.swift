/// Splits a byte stream into tunnel records with the firmware's rules, whatever the chunking.
///
/// ```
///  stream:  ... [len_hi][len_lo][frame: len bytes][len_hi][len_lo][frame] ...
///               |<- length -->|<---- body ---->|
///
///  length invalid (<14, >maxFrame, 1518 by default)  -> .badLength, skip those 2 bytes only
///  body not complete in time    -> .timeout, start over at a length
/// ```
///
/// Timing mirrors the firmware's RX task: it blocks for the two length bytes, then reads the
/// frame with a timeout. So the deadline runs from the moment the length became complete
/// (or from a lone first length byte), and passing it drops the partial record.
/// The decoder keeps no clock of its own: callers pass the instant their bytes arrived.
public struct RecordDecoder: Sendable {
    /// Where the decoder is inside a record.
    private enum Phase: Sendable {
        /// Between records: the next byte is a length high byte.
        case length
        /// The high length byte has arrived, the low one has not.
        case lengthLow(high: UInt8)
        /// A valid length has arrived; `frameFill` of its `expected` bytes are buffered.
        case body(expected: Int)
    }

    /// How long a partial record may wait for its remaining bytes.
    public let timeout: Duration
    /// The longest frame accepted (1518 by default, up to 9018 with jumbo frames); longer lengths are bad.
    public let maxFrame: Int
    public private(set) var counters = DecoderCounters()

    private var phase = Phase.length
    /// Stream offset of the current record's first length byte.
    private var recordOffset = 0
    /// Fixed-size assembly buffer, like the firmware's `frame_buffer[MAX_ETH_FRAME_SIZE]`,
    /// so a record split across reads costs one bulk copy per read and no allocation.
    private var frameBuffer: [UInt8]
    private var frameFill = 0
    /// When the partial record expires; meaningful only while one is buffered (not ``isIdle``), so going back
    /// between records never touches it, and not optional, as an optional of it costs a metadata lookup per use.
    /// Stored last: `ContinuousClock.Instant`'s layout is resilient (known only at run time), and every field after
    /// it would be reached through the type's metadata.
    private var partialDeadline: ContinuousClock.Instant

    /// `maxFrame` outside ``WireFormat/maxFrameLimits`` is taken as 1518, as the shared C rule does.
    public init(timeout: Duration = .seconds(1), maxFrame: Int = WireFormat.maxFrameLength) {
        self.timeout = timeout
        self.maxFrame = WireFormat.maxFrameLimits.contains(maxFrame) ? maxFrame : WireFormat.maxFrameLength
        frameBuffer = [UInt8](repeating: 0, count: self.maxFrame)
        partialDeadline = .now   // unread until a partial record sets it
    }

    /// True when no partial record is buffered.
    public var isIdle: Bool {
        if case .length = phase { return true }
        return false
    }

    /// When the current partial record expires, or nil between records.
    public var deadline: ContinuousClock.Instant? { isIdle ? nil : partialDeadline }

    /// Feeds bytes that arrived at `now`, in any chunking.
    ///
    /// A partial record whose deadline has passed (`now >= deadline`) is dropped first,
    /// reported as `.timeout`, and these bytes then start a new record.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant, _ emit: (DecoderEvent) -> Void
    ) {
        feed(bytes, now: now, lending: { emit(.frame(Self.frame(copying: $0))) }, emit)
    }

    /// Feeds bytes as ``feed(_:now:_:)`` does, but lends each frame instead of copying it into an array: `frame`
    /// gets the bytes in the chunk or in the assembly buffer, valid only during the call. For a caller that copies
    /// the frame on anyway (into a pbuf, a checker), this saves an allocation per frame. `emit` gets the other events.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant,
        lending frame: (UnsafeRawBufferPointer) -> Void, _ emit: (DecoderEvent) -> Void
    ) {
        expire(now: now, emit)
        let streamBase = counters.bytesIn
        counters.bytesIn += bytes.count
        var index = 0
        // A record begun in an earlier chunk: its low length byte, then its body.
        if case .lengthLow(let high) = phase, index < bytes.count {
            let length = Int(high) << 8 | Int(bytes[index])
            index += 1
            if WireFormat.isValidFrameLength(length, maxFrame: maxFrame) {
                beginBody(length, now: now)
            } else {
                rejectLength(length, emit)
            }
        }
        if case .body(let expected) = phase, index < bytes.count {
            index = continueBody(expected, from: bytes, at: index, frame)
        }
        if index < bytes.count {
            decodeRecords(bytes, from: index, streamBase: streamBase, now: now, frame, emit)
        }
    }

    /// Convenience for byte collections; contiguous ones are decoded without a copy.
    public mutating func feed(
        _ bytes: some Collection<UInt8>, now: ContinuousClock.Instant, _ emit: (DecoderEvent) -> Void
    ) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer), now: now, emit)
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { feed($0, now: now, emit) }
        }
    }

    /// Drops a partial record whose deadline has passed; call it when a read or poll
    /// returned no bytes, so a stalled record does not wait for the next byte to expire.
    public mutating func expire(now: ContinuousClock.Instant, _ emit: (DecoderEvent) -> Void) {
        guard !isIdle, hasExpired(at: now) else { return }
        let (expected, received) = partialProgress
        counters.timeouts += 1
        let offset = recordOffset
        startOver()
        emit(.timeout(expected: expected, received: received, streamOffset: offset))
    }

    /// Drops any partial record, e.g. because the peer disconnected and its next bytes
    /// will belong to a new stream. Emits `.discarded` if there was one.
    public mutating func reset(_ emit: (DecoderEvent) -> Void) {
        guard !isIdle else { return }
        let (expected, received) = partialProgress
        counters.discarded += 1
        let offset = recordOffset
        startOver()
        emit(.discarded(expected: expected, received: received, streamOffset: offset))
    }

    // MARK: - Private

    /// Between records, from `start` to the end of `bytes` (not empty there): whole records go out straight from
    /// the chunk, one bulk copy each, and bad lengths are skipped, with the loop's state in locals (the counters
    /// are written once at the end; `emit` cannot read them meanwhile, Swift's exclusive access to `self` forbids
    /// it). What is left, a lone length byte or a record cut by the chunk's end, becomes the partial record.
    private mutating func decodeRecords(
        _ bytes: UnsafeRawBufferPointer, from start: Int, streamBase: Int, now: ContinuousClock.Instant,
        _ frame: (UnsafeRawBufferPointer) -> Void, _ emit: (DecoderEvent) -> Void
    ) {
        let end = bytes.count
        let maxFrame = maxFrame
        var index = start
        var frames = 0
        var frameBytes = 0
        var badLengths = 0
        var cut = 0  // the valid length of a record whose body this chunk does not hold whole
        while end - index >= 2 {
            let length = Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt16.self)))
            guard WireFormat.isValidFrameLength(length, maxFrame: maxFrame) else {
                badLengths += 1
                emit(.badLength(length, streamOffset: streamBase + index))
                index += 2
                continue
            }
            guard end - index - 2 >= length else {
                cut = length
                break
            }
            frames += 1
            frameBytes += length
            frame(UnsafeRawBufferPointer(rebasing: bytes[(index + 2)..<(index + 2 + length)]))
            index += 2 + length
        }
        counters.frames += frames
        counters.frameBytes += frameBytes
        counters.badLengths += badLengths
        guard index < end else { return }
        recordOffset = streamBase + index
        if cut == 0 {
            phase = .lengthLow(high: bytes[index])
            startDeadline(now: now)
        } else {
            beginBody(cut, now: now)
            if index + 2 < end { _ = continueBody(cut, from: bytes, at: index + 2, frame) }
        }
    }

    /// Copies the partial record's next bytes from `bytes[index...]` (at least one) into the assembly buffer and
    /// lends the frame once it is whole; returns the index after the bytes taken.
    private mutating func continueBody(
        _ expected: Int, from bytes: UnsafeRawBufferPointer, at index: Int, _ frame: (UnsafeRawBufferPointer) -> Void
    ) -> Int {
        let take = min(expected - frameFill, bytes.count - index)
        let fill = frameFill
        frameBuffer.withUnsafeMutableBytes { buffer in
            UnsafeMutableRawBufferPointer(rebasing: buffer[fill..<(fill + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
        }
        frameFill = fill + take
        if frameFill == expected {
            counters.frames += 1
            counters.frameBytes += expected
            startOver()
            frameBuffer.withUnsafeBytes { frame(UnsafeRawBufferPointer(rebasing: $0[..<expected])) }
        }
        return index + take
    }

    /// A frame's own array, filled by one bulk copy. (Not `Array(unsafeUninitializedCapacity:)`: that one reaches
    /// an unspecialized buffer allocation with a metadata lookup per call, 20 % slower on `bench`'s decode figure.)
    private static func frame(copying bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](bytes)
    }

    /// Announced length (-1 while only the high byte is known) and frame bytes buffered.
    private var partialProgress: (expected: Int, received: Int) {
        switch phase {
        case .length: (0, 0)
        case .lengthLow: (-1, 0)
        case .body(let expected): (expected, frameFill)
        }
    }

    private mutating func beginBody(_ length: Int, now: ContinuousClock.Instant) {
        phase = .body(expected: length)
        frameFill = 0
        startDeadline(now: now)
    }

    // The deadline's arithmetic out of line: inlined, its resilient-layout temporaries would cost every `feed` (and
    // the fuzz build's ASan a poisoned stack slot each) a dynamic stack allocation, used or not.
    @inline(never)
    private mutating func startDeadline(now: ContinuousClock.Instant) {
        partialDeadline = now + timeout
    }

    @inline(never)
    private func hasExpired(at now: ContinuousClock.Instant) -> Bool {
        now >= partialDeadline
    }

    private mutating func rejectLength(_ length: Int, _ emit: (DecoderEvent) -> Void) {
        counters.badLengths += 1
        let offset = recordOffset
        startOver()
        emit(.badLength(length, streamOffset: offset))
    }

    /// Between records again; the stale `partialDeadline` stays, unread until the next partial record sets it.
    private mutating func startOver() {
        phase = .length
        frameFill = 0
    }
}

extension RecordDecoder: CustomStringConvertible {
    /// The state in one short line (the frame buffer is left out), for logs and test failures.
    public var description: String {
        let state =
            switch phase {
            case .length: "idle"
            case .lengthLow: "awaiting length low byte"
            case .body(let expected): "frame \(frameFill)/\(expected) bytes"
            }
        let c = counters
        return "RecordDecoder(\(state), frames \(c.frames), bad lengths \(c.badLengths), timeouts \(c.timeouts), "
            + "discarded \(c.discarded), bytes in \(c.bytesIn))"
    }
}
