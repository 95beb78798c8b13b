/// Turns Ethernet frames into tunnel records.
///
/// ```
///  frame (98 bytes)            record (100 bytes)
///  [dst][src][type][payload] -> [0x00][0x62][dst][src][type][payload]
/// ```
///
/// Frames the firmware would reject are refused here, so a sender can never desynchronise
/// a receiver that follows the seed's rules.
public enum RecordEncoder {
    /// The record for `frame`: its big-endian length followed by the frame itself.
    /// - Throws: ``WireError/frameLength(_:)`` for frames outside 14...1518 bytes.
    public static func encode(_ frame: some Collection<UInt8>) throws(WireError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(WireFormat.lengthPrefixSize + frame.count)
        try append(frame, to: &out)
        return out
    }

    /// Appends the record for `frame` to `out`, which lets a writer batch many records
    /// into one buffer. `out` is left untouched when the frame is refused.
    /// - Throws: ``WireError/frameLength(_:)`` for frames outside 14...1518 bytes.
    public static func append(_ frame: some Collection<UInt8>, to out: inout [UInt8]) throws(WireError) {
        let length = frame.count
        guard WireFormat.validFrameLengths.contains(length) else {
            throw .frameLength(length)
        }
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(contentsOf: frame)
    }
}
