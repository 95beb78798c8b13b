/// The deterministic bytes the device's `GET /bytes/N` serves (transfer tests and benchmarks check every byte):
/// byte i is `(i + i / 251) mod 256`, so a dropped, duplicated or shifted byte anywhere is detected (a plain
/// `i mod 256` would not notice a shift by a multiple of 256).
public enum TransferPattern {
    /// The largest body the device serves (16 MiB).
    public static let maximumLength = 16 << 20

    public static func byte(at index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: index &+ index / 251)
    }

    public static func bytes(count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        for index in 0..<count { out[index] = byte(at: index) }
        return out
    }

    /// The index of the first byte that differs from the pattern (or the count, if `bytes` is shorter than
    /// `expectedCount` and otherwise right); nil when `bytes` is exactly the pattern of `expectedCount` bytes.
    public static func firstMismatch(in bytes: some Collection<UInt8>, expectedCount: Int) -> Int? {
        var index = 0
        for byte in bytes {
            if index >= expectedCount || byte != Self.byte(at: index) { return index }
            index += 1
        }
        return index == expectedCount ? nil : index
    }
}
