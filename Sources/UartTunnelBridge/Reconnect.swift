/// Delays between connection attempts while the device is away: 100 ms doubling to 2 s. Short enough that traffic
/// resumes quickly after a QEMU restart, long enough not to spin on a device that is gone for good.
public struct ReconnectBackoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    /// Failed attempts since the last success.
    public private(set) var failures = 0
    private var next: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(2)) {
        self.initial = initial
        self.maximum = maximum
        self.next = initial
    }

    /// Records a failed attempt and returns how long to wait before the next one.
    public mutating func failed() -> Duration {
        failures += 1
        let delay = next
        next = min(next * 2, maximum)
        return delay
    }

    public mutating func succeeded() {
        failures = 0
        next = initial
    }

    /// Log the first failure and every tenth: enough to see that the bridge is waiting, not a line per try.
    public var shouldLog: Bool {
        failures == 1 || failures % 10 == 0
    }
}
