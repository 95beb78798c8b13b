import Foundation
import Synchronization

/// One direction of the UART between the TCP transport and the device: fault injection, then the line's timing.
///
/// ```
///  producer ──submit──▶ FaultInjector ──runs (notBefore)──▶ queue ──worker──▶ LinePacer ──▶ deliver
///  (link reader / driver send)          (optional)                               (optional: --baud)
/// ```
///
/// The worker thread wakes at absolute deadlines and hands on every byte that has completely crossed the line
/// by then, so a byte is never early and a late wake-up only batches more bytes into one delivery. The queue is
/// bounded: a producer blocks while `capacity` bytes wait, which is how a UART's driver blocks a writer when its
/// ring buffer is full (TX), and how a peer's socket backs up when it sends faster than the line (RX).
final class LineStage: @unchecked Sendable {
    struct Counters: Sendable {
        var bytesIn = 0
        var bytesOut = 0
        var deliveries = 0
        var maxBacklog = 0
        var blockedProducers = 0
    }

    private enum Item {
        case bytes([UInt8], notBefore: Int64)
        case event(@Sendable () -> Void)
    }

    let name: String
    let rate: LineRate?
    private let capacity: Int
    /// Hands bytes on, saying whether they start an item (a write as the producer made it: for TX, a record).
    private let deliver: (UnsafeRawBufferPointer, _ startsItem: Bool) -> Void
    private let idleDeadline: (@Sendable () -> ContinuousClock.Instant?)?
    private let idle: (@Sendable (ContinuousClock.Instant) -> Void)?
    private let condition = NSCondition()
    private let injector: Mutex<FaultInjector?>
    /// A copy of the injector's counters, so status readers never wait behind a blocked producer.
    private let faultSnapshot: Mutex<FaultCounters?>

    // Guarded by `condition`.
    private var queue: [Item] = []
    private var head = 0
    private var headOffset = 0
    private var queuedBytes = 0
    private var stopping = false
    private var busy = false
    private var counters = Counters()

    // Worker thread only.
    private var pacer: LinePacer?
    private let maxSleep: Int64 = 50_000_000

    init(name: String, rate: LineRate?, faults: FaultInjector?, capacity: Int,
         idleDeadline: (@Sendable () -> ContinuousClock.Instant?)? = nil,
         idle: (@Sendable (ContinuousClock.Instant) -> Void)? = nil,
         deliver: @escaping (UnsafeRawBufferPointer, _ startsItem: Bool) -> Void) {
        self.name = name
        self.rate = rate
        self.capacity = max(1, capacity)
        self.deliver = deliver
        self.idleDeadline = idleDeadline
        self.idle = idle
        injector = Mutex(faults)
        faultSnapshot = Mutex(faults?.counters)
        pacer = rate.map(LinePacer.init)
        let thread = Thread { [self] in run() }
        thread.name = "uart-\(name)"
        thread.start()
    }

    var faultCounters: FaultCounters? { faultSnapshot.withLock { $0 } }
    var snapshot: Counters { condition.withLock { counters } }

    /// Bytes that arrived now. Blocks while the queue is full (unless stopping).
    func submit(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        let arrival = MonotonicTime.now()
        let instant = ContinuousClock.now
        // The injector lock also keeps concurrent producers' bytes in order.
        injector.withLock { injector in
            if injector != nil {
                var runs: [([UInt8], Int64)] = []
                injector!.process(bytes, arrival: arrival, instant: instant) { runs.append(($0, $1)) }
                let counters = injector!.counters
                faultSnapshot.withLock { $0 = counters }
                enqueue(runs, counted: bytes.count)
            } else {
                enqueue([(Array(bytes), arrival)], counted: bytes.count)
            }
        }
    }

    /// Runs `body` on the worker after every byte submitted before it has been delivered (peer connect and
    /// disconnect must reach the device in stream order). `resetsStream` also restarts the injector's shadow.
    func submitEvent(resetsStream: Bool, _ body: @escaping @Sendable () -> Void) {
        injector.withLock { injector in
            if resetsStream { injector?.resetStream() }
            condition.withLock {
                queue.append(.event(body))
                condition.broadcast()
            }
        }
    }

    /// Waits until everything queued has been delivered (tests, a clean stop); false on timeout.
    func drain(timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(MonotonicTime.nanoseconds(timeout)) / 1e9)
        return condition.withLock {
            while (head < queue.count || busy) && !stopping {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    private func enqueue(_ runs: [([UInt8], Int64)], counted: Int) {
        condition.withLock {
            counters.bytesIn += counted
            if queuedBytes >= capacity { counters.blockedProducers += 1 }
            while queuedBytes >= capacity && !stopping {
                condition.wait()
            }
            guard !stopping else { return }
            for (bytes, notBefore) in runs where !bytes.isEmpty {
                queue.append(.bytes(bytes, notBefore: notBefore))
                queuedBytes += bytes.count
            }
            counters.maxBacklog = max(counters.maxBacklog, queuedBytes)
            condition.broadcast()
        }
    }

    private func run() {
        while true {
            condition.lock()
            while head == queue.count && !stopping {
                busy = false
                condition.broadcast()
                if let deadline = idleDeadline?() {
                    let wait = deadline - .now
                    if wait <= .zero {
                        condition.unlock()
                        idle?(.now)
                        condition.lock()
                        continue
                    }
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Double(MonotonicTime.nanoseconds(wait)) / 1e9))
                } else {
                    condition.wait()
                }
            }
            if stopping {
                busy = false
                condition.broadcast()
                condition.unlock()
                return
            }
            busy = true
            let item = queue[head]
            let offset = headOffset
            condition.unlock()

            switch item {
            case .event(let body):
                body()
                advance(items: 1, bytes: 0)
            case .bytes(let bytes, let notBefore):
                let now = MonotonicTime.now()
                let available = bytes.count - offset
                var count = 0
                var next = notBefore
                if pacer != nil {
                    (count, next) = pacer!.take(available: available, notBefore: notBefore, now: now)
                } else if now >= notBefore {
                    count = available
                }
                if count > 0 {
                    bytes.withUnsafeBytes { raw in
                        deliver(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]), offset == 0)
                    }
                    let finished = offset + count == bytes.count
                    advance(items: finished ? 1 : 0, bytes: count)
                } else {
                    if let deadline = idleDeadline?(), deadline <= .now { idle?(.now) }
                    MonotonicTime.sleep(until: min(next, now + maxSleep))
                }
            }
        }
    }

    private func advance(items: Int, bytes: Int) {
        condition.withLock {
            queuedBytes -= bytes
            counters.bytesOut += bytes
            if bytes > 0 { counters.deliveries += 1 }
            if items > 0 {
                head += 1
                headOffset = 0
                if head >= 256 {
                    queue.removeFirst(head)
                    head = 0
                }
            } else {
                headOffset += bytes
            }
            condition.broadcast()
        }
    }
}
