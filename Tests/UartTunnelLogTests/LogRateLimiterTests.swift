import Testing
import UartTunnelLog

/// A line that can repeat per frame or per byte is written at most `burst` times a second, and the next one written
/// says how many were left out.
@Suite struct LogRateLimiterTests {
    @Test func aBurstPassesThenLinesAreCountedAndTheCountIsReported() {
        var limiter = LogRateLimiter(burst: 3, window: .seconds(1))
        let t0 = ContinuousClock.now
        var written: [String] = []
        for index in 0..<100 {
            if let line = limiter.admit("bad length \(index)", now: t0 + .milliseconds(index)) { written.append(line) }
        }
        #expect(written == ["bad length 0", "bad length 1", "bad length 2"])
        #expect(limiter.pending == 97)
        // the next window: the first line carries the count of what was left out
        let next = limiter.admit("bad length 100", now: t0 + .seconds(1) + .milliseconds(100))
        #expect(next == "bad length 100 (97 similar lines suppressed)")
        #expect(limiter.pending == 0)
    }

    @Test func aQuietLineIsNeverHeldBack() {
        var limiter = LogRateLimiter(burst: 2, window: .seconds(1))
        let t0 = ContinuousClock.now
        for second in 0..<5 {
            #expect(limiter.admit("line \(second)", now: t0 + .seconds(second)) == "line \(second)")
        }
    }
}
