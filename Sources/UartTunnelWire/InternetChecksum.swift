/// The Internet checksum of RFC 1071: the ones-complement of the ones-complement sum of
/// 16-bit big-endian words, an odd last byte padded with zero.
///
/// A header that carries its own correct checksum sums to 0 under ``compute(_:)``,
/// which is how receivers (and the tests) verify one.
public enum InternetChecksum {
    public static func compute(_ bytes: some Collection<UInt8>) -> UInt16 {
        finish(sum(bytes))
    }

    /// The unfolded 32-bit sum of `bytes`, added to `initial`; lets callers checksum a
    /// pseudo-header and a segment that are not contiguous.
    static func sum(_ bytes: some Collection<UInt8>, initial: UInt32 = 0) -> UInt32 {
        var total = initial
        var high: UInt8?
        for byte in bytes {
            if let first = high {
                total &+= UInt32(first) << 8 | UInt32(byte)
                high = nil
            } else {
                high = byte
            }
            // Fold early so a long input can not overflow 32 bits.
            if total >= 0x8000_0000 { total = (total & 0xFFFF) + (total >> 16) }
        }
        if let last = high { total &+= UInt32(last) << 8 }
        return total
    }

    /// Folds the carries back in and complements.
    static func finish(_ sum: UInt32) -> UInt16 {
        var total = sum
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return ~UInt16(total)
    }

    /// The sum of the IPv4 pseudo-header that UDP and TCP checksums cover.
    ///
    /// ```
    ///  +-------------+-------------+------+----------+-----------------+
    ///  | source IP 4 | dest IP 4   | 0  1 | proto 1  | L4 length 2     |
    ///  +-------------+-------------+------+----------+-----------------+
    /// ```
    static func pseudoHeaderSum(
        source: IPv4Address, destination: IPv4Address, protocol proto: UInt8, length: Int
    ) -> UInt32 {
        var header = source.bytes + destination.bytes
        header.append(0)
        header.append(proto)
        header.appendBigEndian(UInt16(truncatingIfNeeded: length))
        return sum(header)
    }
}
