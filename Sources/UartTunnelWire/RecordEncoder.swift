import CUartTunnelWire

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
    /// - Throws: ``WireError/frameLength(_:)`` for frames outside 14...`maxFrame` bytes (1518 unless jumbo).
    public static func encode(
        _ frame: some Collection<UInt8>, maxFrame: Int = WireFormat.maxFrameLength
    ) throws(WireError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(WireFormat.lengthPrefixSize + frame.count)
        try append(frame, to: &out, maxFrame: maxFrame)
        return out
    }

    /// Appends the record for `frame` to `out`, which lets a writer batch many records
    /// into one buffer. `out` is left untouched when the frame is refused.
    /// - Throws: ``WireError/frameLength(_:)`` for frames outside 14...`maxFrame` bytes (1518 unless jumbo).
    public static func append(
        _ frame: some Collection<UInt8>, to out: inout [UInt8], maxFrame: Int = WireFormat.maxFrameLength
    ) throws(WireError) {
        let header = try header(frameLength: frame.count, maxFrame: maxFrame)
        out.append(header.0)
        out.append(header.1)
        out.append(contentsOf: frame)
    }

    /// The record for a `frameLength`-byte frame that `writeFrame` copies into the buffer it is given (exactly
    /// `frameLength` bytes, after the header): for a frame in pieces, such as a pbuf chain, without a second copy.
    /// - Throws: ``WireError/frameLength(_:)`` for frames outside 14...`maxFrame` bytes (1518 unless jumbo); `writeFrame` is not called.
    public static func record(
        frameLength: Int, maxFrame: Int = WireFormat.maxFrameLength, writeFrame: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(WireError) -> [UInt8] {
        let header = try header(frameLength: frameLength, maxFrame: maxFrame)
        return [UInt8](unsafeUninitializedCapacity: WireFormat.lengthPrefixSize + frameLength) { buffer, count in
            buffer[0] = header.0
            buffer[1] = header.1
            let frame = UnsafeMutableBufferPointer(rebasing: buffer[WireFormat.lengthPrefixSize...])
            frame.initialize(repeating: 0)
            writeFrame(UnsafeMutableRawBufferPointer(frame))
            count = buffer.count
        }
    }

    /// `[len_hi][len_lo]`, from the one encoder both drivers use (`CUartTunnelWire_putRecordHeaderUpTo`).
    private static func header(frameLength: Int, maxFrame: Int) throws(WireError) -> (UInt8, UInt8) {
        var header: (UInt8, UInt8) = (0, 0)
        let written = withUnsafeMutableBytes(of: &header) { raw in
            frameLength >= 0
                && CUartTunnelWire_putRecordHeaderUpTo(frameLength, maxFrame, raw.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1
        }
        guard written else {
            throw maxFrame == WireFormat.maxFrameLength ? .frameLength(frameLength) : .frameLengthOverLimit(frameLength, limit: maxFrame)
        }
        return header
    }
}
