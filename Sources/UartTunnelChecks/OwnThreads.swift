import Foundation
import Synchronization
import UartTunnelLog

/// Runs each body on a thread of its own, all at once, and returns their results in the order given. For work
/// that mostly waits (sockets, child processes, timeouts): the waits overlap instead of adding up. The caller's
/// `TestLog` (in a test) goes along, so children started on those threads still belong to that test.
public func concurrently<T: Sendable>(_ bodies: [@Sendable () -> T]) -> [T] {
    let results = Mutex([T?](repeating: nil, count: bodies.count))
    let group = DispatchGroup()
    let testLog = TestLog.current
    for (index, body) in bodies.enumerated() {
        group.enter()
        let thread = Thread {
            let value = TestLog.$current.withValue(testLog) { body() }
            results.withLock { $0[index] = value }
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
    return results.withLock { $0.map { $0! } }
}

/// An executor that runs every job on a new thread. Swift's cooperative pool has one thread per core (two on a
/// small CI machine); code that blocks (poll, waitpid, usleep) holds one of them for as long as it waits, and
/// everything else queues behind it. `withTaskExecutorPreference(OwnThreadExecutor.shared) { … }` moves such
/// code off the pool while keeping its task (and the task-locals a test framework attributes issues by).
public final class OwnThreadExecutor: TaskExecutor, Sendable {
    public static let shared = OwnThreadExecutor()

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
