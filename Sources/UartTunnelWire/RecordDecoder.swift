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
    /// When the current partial record expires, or nil between records.
    public private(set) var deadline: ContinuousClock.Instant?

    private var phase = Phase.length
    /// Stream offset of the current record's first length byte.
    private var recordOffset = 0
    /// Fixed-size assembly buffer, like the firmware's `frame_buffer[MAX_ETH_FRAME_SIZE]`,
    /// so a record split across reads costs one bulk copy per read and no allocation.
    private var frameBuffer: [UInt8]
    private var frameFill = 0

    /// `maxFrame` outside ``WireFormat/maxFrameLimits`` is taken as 1518, as the shared C rule does.
    public init(timeout: Duration = .seconds(1), maxFrame: Int = WireFormat.maxFrameLength) {
        self.timeout = timeout
        self.maxFrame = WireFormat.maxFrameLimits.contains(maxFrame) ? maxFrame : WireFormat.maxFrameLength
        frameBuffer = [UInt8](repeating: 0, count: self.maxFrame)
    }

    /// True when no partial record is buffered.
    public var isIdle: Bool {
        if case .length = phase { return true }
        return false
    }

    /// Feeds bytes that arrived at `now`, in any chunking.
    ///
    /// A partial record whose deadline has passed (`now >= deadline`) is dropped first,
    /// reported as `.timeout`, and these bytes then start a new record.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant, _ emit: (DecoderEvent) -> Void
    ) {
        expire(now: now, emit)
        let streamBase = counters.bytesIn
        counters.bytesIn += bytes.count
        let end = bytes.count
        var index = 0
        while index < end {
            switch phase {
            case .length:
                guard end - index >= 2 else {
                    phase = .lengthLow(high: bytes[index])
                    recordOffset = streamBase + index
                    deadline = now + timeout
                    index += 1
                    continue
                }
                let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                recordOffset = streamBase + index
                index += 2
                guard WireFormat.isValidFrameLength(length, maxFrame: maxFrame) else {
                    rejectLength(length, emit)
                    continue
                }
                if end - index >= length {
                    // Whole record in this chunk: copy straight out, skip the assembly buffer.
                    let frame = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)])
                    deliver([UInt8](frame), emit)
                    index += length
                } else {
                    beginBody(length, now: now)
                }
            case .lengthLow(let high):
                let length = Int(high) << 8 | Int(bytes[index])
                index += 1
                if WireFormat.isValidFrameLength(length, maxFrame: maxFrame) {
                    beginBody(length, now: now)
                } else {
                    rejectLength(length, emit)
                }
            case .body(let expected):
                let take = min(expected - frameFill, end - index)
                let fill = frameFill
                frameBuffer.withUnsafeMutableBytes { buffer in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[fill..<(fill + take)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                }
                frameFill += take
                index += take
                if frameFill == expected {
                    let frame = Array(frameBuffer[0..<expected])
                    startOver()
                    deliver(frame, emit)
                }
            }
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
        guard let deadline, now >= deadline else { return }
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
        deadline = now + timeout
    }

    private mutating func rejectLength(_ length: Int, _ emit: (DecoderEvent) -> Void) {
        counters.badLengths += 1
        let offset = recordOffset
        startOver()
        emit(.badLength(length, streamOffset: offset))
    }

    private mutating func deliver(_ frame: [UInt8], _ emit: (DecoderEvent) -> Void) {
        counters.frames += 1
        counters.frameBytes += frame.count
        emit(.frame(frame))
    }

    private mutating func startOver() {
        phase = .length
        frameFill = 0
        deadline = nil
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
