/// xoshiro256** seeded through SplitMix64: a small, fast generator whose output depends only on its seed, so a
/// fault run can be replayed exactly (`seed=` in `--faults`). Not for anything that needs unpredictability.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var mix = seed
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// A generator for one named stream of a seed (direction, fault kind), independent of the others.
    public init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the stream name, mixed into the seed
        for byte in stream.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        self.init(seed: seed ^ hash)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// The number of trials before the next success of a Bernoulli(p) sequence (geometric, ≥ 0), so a rare
    /// per-byte or per-bit fault costs one draw per fault instead of one per byte. `Int.max` for p ≤ 0.
    public mutating func gap(probability p: Double) -> Int {
        if p <= 0 { return Int.max }
        if p >= 1 { return 0 }
        let u = 1 - unit()  // (0, 1]
        let g = (log(u) / log1p(-p)).rounded(.down)
        return g >= Double(Int.max / 2) ? Int.max / 2 : Int(g)
    }
}

#if canImport(Glibc)
import Glibc
#endif
