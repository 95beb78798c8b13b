#if canImport(Glibc)
import Glibc
#endif

/// Nanosecond time on `CLOCK_MONOTONIC`, and sleeps to absolute deadlines on the same clock
/// (`clock_nanosleep(TIMER_ABSTIME)`), so a pacer that sleeps late never drifts: its next deadline is
/// computed from the line's start, not from when it woke.
public enum MonotonicTime {
    /// Now, in nanoseconds since an arbitrary fixed point (boot).
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Wall-clock now, in nanoseconds since the Unix epoch (for capture timestamps).
    public static func wallClockNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Sleeps until `deadline` (a value of `now()`); returns at once if it has passed. Retries on EINTR.
    public static func sleep(until deadline: Int64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    /// Nanoseconds in a `Duration` (saturating).
    public static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return scaled + attoseconds / 1_000_000_000
    }
}
