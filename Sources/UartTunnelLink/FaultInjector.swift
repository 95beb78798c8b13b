import UartTunnelWire

/// What a ``FaultInjector`` did to one direction's byte stream.
public struct FaultCounters: Sendable, Equatable, Codable {
    /// Units of the input stream: records, and 2-byte invalid lengths (the firmware's unit of resync).
    public var records = 0
    public var recordsLost = 0
    public var recordsTruncated = 0
    /// Single bytes dropped by `drop-byte` (bytes removed by loss and truncation are in `bytesRemoved` only).
    public var bytesDropped = 0
    public var bitsFlipped = 0
    public var recordsDelayed = 0
    /// Every byte that did not reach the line: lost records, truncated tails and dropped bytes.
    public var bytesRemoved = 0

    public init() {}

    public var total: Int { recordsLost + recordsTruncated + bytesDropped + bitsFlipped + recordsDelayed }
}

/// Applies a ``FaultSpec`` to a byte stream, record by record.
///
/// Record boundaries come from a shadow ``RecordDecoder`` that reads the *input* stream with the firmware's rules
/// (length validation, 2-byte resync, partial-frame timeout), so the injector knows where each record the sender
/// meant starts, whatever the chunking; the faults then break the stream the receiver sees. The shadow uses the
/// link's `maxFrame` (``LinkConfiguration/maxFrame``), so jumbo records are units too, not runs of bad lengths.
///
/// Per unit (record or invalid length pair), in this order: `loss` drops it whole; `truncate` keeps only its
/// first k bytes (k uniform in 1..<size, so the receiver's decoder swallows the next record's bytes as the
/// rest of this one); `drop-byte` removes single bytes; `flip-bit` inverts single bits; `delay` holds the unit
/// back by `delay ± jitter` (uniform), never reordering bytes. Each kind draws from its own seeded stream, so the
/// output is a function of the input bytes and the seed only, not of how the bytes were chunked.
public struct FaultInjector: Sendable {
    public let spec: FaultSpec
    public private(set) var counters = FaultCounters()
    private var shadow: RecordDecoder
    private var recordRandom: SeededGenerator
    private var byteRandom: SeededGenerator
    private var bitRandom: SeededGenerator
    private var nextDrop: Int
    private var nextFlip: Int

    // The unit being read.
    private var position = 0
    private var lost = false
    private var truncating = false
    private var keep = Int.max
    private var firstByte: UInt8 = 0
    private var unitDelay: Int64 = 0
    private var lastRelease: Int64 = .min

    public init(spec: FaultSpec, seed: UInt64, direction: String, frameTimeout: Duration = .seconds(1),
                maxFrame: Int = WireFormat.maxFrameLength) {
        self.spec = spec
        shadow = RecordDecoder(timeout: frameTimeout, maxFrame: maxFrame)
        recordRandom = SeededGenerator(seed: seed, stream: "\(direction)/record")
        byteRandom = SeededGenerator(seed: seed, stream: "\(direction)/drop-byte")
        bitRandom = SeededGenerator(seed: seed, stream: "\(direction)/flip-bit")
        nextDrop = byteRandom.gap(probability: spec.dropByte)
        nextFlip = bitRandom.gap(probability: spec.flipBit)
    }

    /// Applies the faults to `bytes` that arrived at `arrival` (monotonic ns; `instant` is the same moment, for the
    /// shadow decoder's timeout). Emits the surviving bytes in runs, each with the time it may enter the line.
    public mutating func process(
        _ bytes: UnsafeRawBufferPointer, arrival: Int64, instant: ContinuousClock.Instant,
        emit: (_ run: [UInt8], _ notBefore: Int64) -> Void
    ) {
        shadow.expire(now: instant) { _ in }
        var run: [UInt8] = []
        run.reserveCapacity(bytes.count)
        var runRelease = Int64.min
        for index in 0..<bytes.count {
            if shadow.isIdle { beginUnit() }
            var byte = bytes[index]
            if position == 0 {
                firstByte = byte
            } else if position == 1 && truncating {
                let length = Int(firstByte) << 8 | Int(byte)
                let valid = WireFormat.isValidFrameLength(length, maxFrame: shadow.maxFrame)
                let size = valid ? WireFormat.lengthPrefixSize + length : 2
                keep = 1 + Int(recordRandom.next() % UInt64(size - 1))
            }
            shadow.feed(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + 1)]), now: instant) { _ in }
            position += 1

            var kept = !lost && position <= keep
            if kept && spec.dropByte > 0 {
                if nextDrop == 0 {
                    kept = false
                    counters.bytesDropped += 1
                    nextDrop = byteRandom.gap(probability: spec.dropByte)
                } else {
                    nextDrop -= 1
                }
            }
            guard kept else {
                counters.bytesRemoved += 1
                continue
            }
            if spec.flipBit > 0 {
                var bit = nextFlip
                while bit < 8 {
                    byte ^= 1 << UInt8(bit)
                    counters.bitsFlipped += 1
                    let gap = bitRandom.gap(probability: spec.flipBit)
                    bit = gap >= Int.max / 4 ? Int.max / 2 : bit + 1 + gap
                }
                nextFlip = bit - 8
            }
            let release = max(arrival + unitDelay, lastRelease)
            lastRelease = release
            if release != runRelease && !run.isEmpty {
                emit(run, runRelease)
                run.removeAll(keepingCapacity: true)
            }
            runRelease = release
            run.append(byte)
        }
        if !run.isEmpty { emit(run, runRelease) }
    }

    /// The sender's stream starts over (a new peer): the shadow decoder forgets any partial record.
    public mutating func resetStream() {
        shadow.reset { _ in }
        position = 0
    }

    private mutating func beginUnit() {
        counters.records += 1
        position = 0
        keep = Int.max
        let lossDraw = recordRandom.unit()
        let truncateDraw = recordRandom.unit()
        let delayDraw = recordRandom.unit()
        lost = lossDraw < spec.loss
        truncating = !lost && truncateDraw < spec.truncate
        if lost { counters.recordsLost += 1 }
        if truncating { counters.recordsTruncated += 1 }
        let delay = MonotonicTime.nanoseconds(spec.delay)
        let jitter = MonotonicTime.nanoseconds(spec.jitter)
        unitDelay = max(0, delay + Int64((delayDraw * 2 - 1) * Double(jitter)))
        if unitDelay > 0 && !lost { counters.recordsDelayed += 1 }
    }
}
