/// Running totals of a ``RecordDecoder``, for link statistics and reports.
public struct DecoderCounters: Equatable, Sendable {
    /// Complete frames emitted.
    public var frames: Int
    /// Bytes in those frames, length prefixes excluded.
    public var frameBytes: Int
    /// Invalid lengths skipped.
    public var badLengths: Int
    /// Partial records dropped because their bytes stopped arriving.
    public var timeouts: Int
    /// Partial records dropped by `reset`.
    public var discarded: Int
    /// Every byte fed, whatever became of it.
    public var bytesIn: Int

    public init(
        frames: Int = 0, frameBytes: Int = 0, badLengths: Int = 0,
        timeouts: Int = 0, discarded: Int = 0, bytesIn: Int = 0
    ) {
        self.frames = frames
        self.frameBytes = frameBytes
        self.badLengths = badLengths
        self.timeouts = timeouts
        self.discarded = discarded
        self.bytesIn = bytesIn
    }
}
