#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Process-wide signal dispositions.
public enum Signals {
    /// Makes a write to a closed socket fail with EPIPE instead of killing the process: a device that goes away
    /// is an expected event for a bridge, not a crash.
    public static func ignorePipe() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Calls `handler` with the signal number each time SIGINT or SIGTERM arrives, on a background thread (never
    /// inside the signal handler, so the handler may lock, log and allocate). The default action (exit) is
    /// replaced for the rest of the process. Several handlers may be registered; all run, in order.
    public static func onTermination(_ handler: @escaping @Sendable (Int32) -> Void) {
        let install = handlers.withLock { list in
            list.append(handler)
            return list.count == 1
        }
        if install { installSelfPipe([SIGINT, SIGTERM]) }
    }

    private static let handlers = Mutex<[@Sendable (Int32) -> Void]>([])

    /// The classic self-pipe: the async-signal handler only writes the signal number to a pipe; a thread reads
    /// it and runs the Swift handlers. Unlike sigwait, it works whatever threads the runtime started earlier.
    private static func installSelfPipe(_ numbers: [Int32]) {
        guard let pipe = try? Descriptor.pipe() else { return }
        signalPipeWriteEnd = pipe.write.rawValue
        signalPipeReadEnd = pipe.read.rawValue
        for number in numbers {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignal
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
        // A parent may have started us with these signals blocked (the mask survives exec; test runners do
        // this): unblock them on this thread, or SIGTERM would stay pending for ever.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in numbers { sigaddset(&unblock, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in
            var number: UInt8 = 0
            while true {
                let count = read(signalPipeReadEnd, &number, 1)
                if count == 1 { Signals.dispatch(Int32(number)) } else if count == 0 || errno != EINTR { break }
            }
            return nil
        }, nil)
        pthread_detach(thread)
    }

    fileprivate static func dispatch(_ number: Int32) {
        for handler in handlers.withLock({ $0 }) { handler(number) }
    }
}

// Written once before the handlers are installed, then only read (the signal handler can not take a lock).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
nonisolated(unsafe) private var signalPipeReadEnd: Int32 = -1

/// Async-signal-safe: one write(2), errno preserved for the interrupted code.
private let forwardSignal: @convention(c) (Int32) -> Void = { number in
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipeWriteEnd, &byte, 1)
    errno = saved
}
