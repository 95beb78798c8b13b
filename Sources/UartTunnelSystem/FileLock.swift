#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock(2)` lock on a file, held until `unlock` (or the process ends: the kernel releases it, so a
/// killed holder never leaves a stale lock). Used by processes that share a directory, e.g. concurrent builds of
/// one project into one build directory.
public final class FileLock: @unchecked Sendable {
    private let descriptor: Int32

    /// Opens (creating) `path` and blocks until the lock is this process's.
    public init(path: String) throws(SystemError) {
        descriptor = try retryingInterrupts("open(\(path))") { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        do {
            _ = try retryingInterrupts("flock(\(path), LOCK_EX)") { flock(descriptor, LOCK_EX) }
        } catch {
            close(descriptor)
            throw error
        }
    }

    public func unlock() {
        flock(descriptor, LOCK_UN)
    }

    deinit {
        close(descriptor)
    }
}
