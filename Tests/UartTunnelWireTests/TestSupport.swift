import UartTunnelWire

/// A small deterministic generator (SplitMix64), so byte-level tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomBytes(_ count: Int, using rng: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
}

/// A frame of `length` bytes whose content depends on `seed`, so frames are told apart.
func sampleFrame(length: Int, seed: UInt64 = 1) -> [UInt8] {
    var rng = SplitMix64(seed: seed &+ UInt64(length))
    return randomBytes(length, using: &rng)
}

/// The record for a frame the tests know to be valid.
func record(_ frame: [UInt8]) -> [UInt8] {
    try! RecordEncoder.encode(frame)
}

/// Feeds `chunks` one after another at `now` and returns every event emitted.
func feedAll(
    _ chunks: [[UInt8]], into decoder: inout RecordDecoder, now: ContinuousClock.Instant = .now
) -> [DecoderEvent] {
    var events: [DecoderEvent] = []
    for chunk in chunks {
        decoder.feed(chunk, now: now) { events.append($0) }
    }
    return events
}

/// `bytes` cut into consecutive chunks whose sizes cycle through `sizes` (all >= 1).
func chunked(_ bytes: [UInt8], sizes: [Int]) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var offset = 0
    var which = 0
    while offset < bytes.count {
        let size = max(1, sizes[which % sizes.count])
        let end = min(offset + size, bytes.count)
        chunks.append(Array(bytes[offset..<end]))
        offset = end
        which += 1
    }
    return chunks
}

/// Replays `events` against the raw `stream` and returns how many bytes they account for,
/// or nil at the first event that does not match the stream's bytes at that point.
/// Frames and bad lengths must start exactly where the previous record ended.
func accountedBytes(of events: [DecoderEvent], in stream: [UInt8]) -> Int? {
    var cursor = 0
    func announced(at offset: Int) -> Int? {
        guard offset + 2 <= stream.count else { return nil }
        return Int(stream[offset]) << 8 | Int(stream[offset + 1])
    }
    for event in events {
        switch event {
        case .frame(let frame):
            guard announced(at: cursor) == frame.count, cursor + 2 + frame.count <= stream.count,
                Array(stream[(cursor + 2)..<(cursor + 2 + frame.count)]) == frame
            else { return nil }
            cursor += 2 + frame.count
        case .badLength(let length, let offset):
            guard offset == cursor, announced(at: cursor) == length else { return nil }
            cursor += 2
        case .timeout(let expected, let received, let offset), .discarded(let expected, let received, let offset):
            guard offset == cursor else { return nil }
            if expected >= 0 {
                guard announced(at: cursor) == expected, received < expected else { return nil }
            }
            cursor += expected < 0 ? 1 : 2 + received
        }
    }
    return cursor
}
