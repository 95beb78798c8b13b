#if canImport(Glibc)
import Glibc
#endif

/// Replacing this process's image with a fresh copy of its own executable, as a chip reset starts the firmware
/// from scratch: the pid, the chosen descriptors and the environment stay; threads, memory and every other
/// descriptor (opened close-on-exec) go.
public enum ProcessImage {
    /// Lets `descriptor` survive the next `replace` (clears FD_CLOEXEC).
    public static func keepAcrossExec(_ descriptor: Descriptor) throws(SystemError) {
        let flags = try retryingInterrupts("fcntl(\(descriptor), F_GETFD)") { fcntl(descriptor.rawValue, F_GETFD) }
        _ = try retryingInterrupts("fcntl(\(descriptor), F_SETFD)") {
            fcntl(descriptor.rawValue, F_SETFD, flags & ~FD_CLOEXEC)
        }
    }

    /// Closes `descriptor` on the next exec again (sets FD_CLOEXEC).
    public static func setCloseOnExec(_ descriptor: Descriptor) throws(SystemError) {
        let flags = try retryingInterrupts("fcntl(\(descriptor), F_GETFD)") { fcntl(descriptor.rawValue, F_GETFD) }
        _ = try retryingInterrupts("fcntl(\(descriptor), F_SETFD)") {
            fcntl(descriptor.rawValue, F_SETFD, flags | FD_CLOEXEC)
        }
    }

    /// Whether `descriptor` is open in this process (an inherited number may be stale).
    public static func isOpen(_ descriptor: Descriptor) -> Bool {
        fcntl(descriptor.rawValue, F_GETFD) >= 0
    }

    /// `execve("/proc/self/exe", arguments, environ + environment)`: returns only by throwing.
    public static func replace(arguments: [String], environment: [String: String]) throws(SystemError) -> Never {
        for (name, value) in environment { setenv(name, value, 1) }
        var argv = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        let error = SystemError.current("execv(/proc/self/exe)")
        for pointer in argv { free(pointer) }
        throw error
    }
}
