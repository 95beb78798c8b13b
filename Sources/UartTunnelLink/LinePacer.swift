/// The timing of one direction of a UART: when each byte has finished arriving at the far end.
///
/// A byte's start bit goes out when the line is free and the byte is there to send; it has arrived one
/// character time later. Back-to-back bytes of a burst therefore complete at
///
/// ```
///  burstStart + 1·t, burstStart + 2·t, …, burstStart + n·t        (t = bitsPerCharacter / baud)
/// ```
///
/// computed from the burst's start each time (no accumulated rounding, no drift when the sleeper wakes late).
/// A byte that arrives while the line is idle starts a new burst at its own arrival: an idle line banks no
/// credit, so there is no burst allowance beyond the one character in flight.
public struct LinePacer: Sendable {
    public let rate: LineRate
    private var burstStart: Int64 = .min
    private var burstBytes: Int64 = 0

    public init(rate: LineRate) {
        self.rate = rate
    }

    /// When the line has finished the last byte handed to it (monotonic ns).
    public var lineFree: Int64 {
        burstStart == .min ? .min : burstStart + rate.nanoseconds(forBytes: burstBytes)
    }

    /// Of `available` bytes that may not start before `notBefore`, how many have completely crossed the line by
    /// `now`; those are taken (the line state advances). `next` is when the first byte not taken completes.
    public mutating func take(available: Int, notBefore: Int64, now: Int64) -> (count: Int, next: Int64) {
        guard available > 0 else { return (0, now) }
        if notBefore > lineFree {
            // Idle line (or not yet allowed to start): the next byte's start bit goes out at `notBefore`.
            burstStart = notBefore
            burstBytes = 0
        }
        let completed = rate.bytes(in: now - burstStart)
        let count = Int(max(0, min(Int64(available), completed - burstBytes)))
        burstBytes += Int64(count)
        let next = burstStart + rate.nanoseconds(forBytes: burstBytes + 1)
        return (count, next)
    }

    /// Completion time of one more byte that may not start before `notBefore`; advances the line.
    public mutating func schedule(notBefore: Int64) -> Int64 {
        if notBefore > lineFree {
            burstStart = notBefore
            burstBytes = 0
        }
        burstBytes += 1
        return burstStart + rate.nanoseconds(forBytes: burstBytes)
    }
}
