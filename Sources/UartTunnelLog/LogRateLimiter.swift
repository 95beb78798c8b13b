import Foundation

/// Keeps a line that can repeat per frame or per byte (a bad length in a junk stream) from flooding the log: the
/// first `burst` lines of each second are written; the rest are counted, and the next line written after them says
/// how many were left out ("… (37 similar lines suppressed)"). Counters elsewhere stay exact. Not thread-safe: one
/// owner per limiter (a decoder's thread).
public struct LogRateLimiter: Sendable {
    public let burst: Int
    public let window: Duration
    private var windowStart: ContinuousClock.Instant?
    private var inWindow = 0
    private var suppressed = 0

    public init(burst: Int = 10, window: Duration = .seconds(1)) {
        self.burst = burst
        self.window = window
    }

    /// The line to write now (with the count of lines left out before it), or nil to leave this one out.
    public mutating func admit(_ line: @autoclosure () -> String, now: ContinuousClock.Instant = .now) -> String? {
        if let start = windowStart, now - start < window {
            inWindow += 1
        } else {
            windowStart = now
            inWindow = 1
        }
        guard inWindow <= burst else {
            suppressed += 1
            return nil
        }
        defer { suppressed = 0 }
        return suppressed == 0 ? line() : "\(line()) (\(suppressed) similar lines suppressed)"
    }

    /// Lines left out since the last one written.
    public var pending: Int { suppressed }
}
