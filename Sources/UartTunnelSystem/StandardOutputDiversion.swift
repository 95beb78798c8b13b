#if canImport(Glibc)
import Glibc
#endif

/// Standard output (fd 1) through a pipe, so a reader can copy what the process prints elsewhere as well, e.g.
/// firmware `printf` to the UART0 console as on a chip.
public enum StandardOutputDiversion {
    /// Points fd 1 at a new pipe. Returns the pipe's read end and a duplicate of the former standard output.
    public static func divert() throws(SystemError) -> (read: Descriptor, original: Descriptor) {
        let pipe = try Descriptor.pipe()
        fflush(nil)
        let original = try retryingInterrupts("fcntl(fd 1, F_DUPFD_CLOEXEC)") { fcntl(1, F_DUPFD_CLOEXEC, 3) }
        do {
            _ = try retryingInterrupts("dup2(\(pipe.write), fd 1)") { dup2(pipe.write.rawValue, 1) }
        } catch {
            pipe.read.close()
            pipe.write.close()
            Glibc.close(original)
            throw error
        }
        pipe.write.close()
        return (pipe.read, Descriptor(rawValue: original))
    }

    /// Points fd 1 back at `original` (before an exec, whose new image has no reader for the pipe).
    public static func restore(_ original: Descriptor) {
        fflush(nil)
        _ = dup2(original.rawValue, 1)
    }
}
