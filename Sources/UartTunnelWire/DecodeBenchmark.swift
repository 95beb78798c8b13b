/// Measures ``RecordDecoder`` throughput on a saturated stream, for the CLI's `bench`.
///
/// The stream is back-to-back records of full-size 1514-byte frames, fed in 64 KiB reads
/// (a typical socket read), so records straddle reads the way they do on a real link.
public enum DecodeBenchmark {
    /// Frame length used: a full Ethernet frame without FCS (MTU 1500 + 14-byte header).
    public static let frameLength = 1514
    /// Bytes handed to the decoder per `feed`.
    public static let chunkSize = 64 * 1024

    /// Decodes about `megabytes` MiB of records; returns the stream size and the seconds it took.
    public static func run(megabytes: Int) -> (bytes: Int, seconds: Double) {
        let stream = makeStream(bytes: max(1, megabytes) * 1024 * 1024)
        var decoder = RecordDecoder()
        var frames = 0
        var lastBytes: UInt8 = 0
        let clock = ContinuousClock()
        let start = clock.now
        stream.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + chunkSize, all.count)
                decoder.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), now: clock.now) { event in
                    // Touch the copied bytes so the copy can not be optimised away.
                    if case .frame(let frame) = event {
                        frames += 1
                        lastBytes ^= frame[frame.count - 1]
                    }
                }
                offset = end
            }
        }
        let elapsed = clock.now - start
        precondition(frames == stream.count / (frameLength + WireFormat.lengthPrefixSize), "benchmark lost frames")
        precondition(lastBytes == (frames % 2 == 0 ? 0 : stream[stream.count - 1]), "benchmark corrupted frames")
        let parts = elapsed.components
        return (stream.count, Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
    }

    /// Whole records only, so every byte counted is decoded into a frame.
    private static func makeStream(bytes: Int) -> [UInt8] {
        let recordLength = frameLength + WireFormat.lengthPrefixSize
        var frame = [UInt8](repeating: 0, count: frameLength)
        for index in frame.indices { frame[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        let records = max(1, bytes / recordLength)
        var stream: [UInt8] = []
        stream.reserveCapacity(records * recordLength)
        for _ in 0..<records {
            try! RecordEncoder.append(frame, to: &stream)
        }
        return stream
    }
}
