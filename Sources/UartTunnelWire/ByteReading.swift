/// Bounds-checked big-endian reads, relative to a slice's start, so that every packet view
/// can parse truncated or garbage input without trapping.
extension ArraySlice<UInt8> {
    func u8(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < count else { return nil }
        return self[startIndex + offset]
    }

    func u16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        return UInt16(self[startIndex + offset]) << 8 | UInt16(self[startIndex + offset + 1])
    }

    func u32(at offset: Int) -> UInt32? {
        guard let high = u16(at: offset), let low = u16(at: offset + 2) else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// `length` bytes from `offset`, or nil if they are not all there.
    func bytes(at offset: Int, length: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, length >= 0, offset + length <= count else { return nil }
        return self[(startIndex + offset)..<(startIndex + offset + length)]
    }

    /// The bytes from `offset` on; empty past the end.
    func tail(from offset: Int) -> ArraySlice<UInt8> {
        self[(startIndex + Swift.min(Swift.max(offset, 0), count))...]
    }
}

extension Array<UInt8> {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        appendBigEndian(UInt16(truncatingIfNeeded: value >> 16))
        appendBigEndian(UInt16(truncatingIfNeeded: value))
    }
}
