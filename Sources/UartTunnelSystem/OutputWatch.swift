#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Watches what this process writes to a descriptor (fd 1 or 2) line by line, while it still goes where it went:
/// the descriptor is pointed at a pipe, and a thread copies each chunk to the original, then hands each complete
/// line to `onLine`. Firmware `printf`, ESP_LOG lines from C and the toolkit's Swift logs all pass, so a console
/// check (`device --expect-text`) sees what a user sees. Lines longer than 64 KiB are handed over in pieces.
public enum OutputWatch {
    public static func start(_ fd: Int32, onLine: @escaping @Sendable (String) -> Void) throws(SystemError) {
        let pipe = try Descriptor.pipe()
        fflush(nil)
        let original = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        guard original >= 0 else { throw SystemError.current("fcntl(fd \(fd), F_DUPFD_CLOEXEC)") }
        guard dup2(pipe.write.rawValue, fd) >= 0 else {
            let error = SystemError.current("dup2(\(pipe.write), fd \(fd))")
            pipe.read.close()
            pipe.write.close()
            close(original)
            throw error
        }
        pipe.write.close()
        originals.withLock { $0[fd] = original }
        let watcher = Watcher(read: pipe.read, original: Descriptor(rawValue: original), onLine: onLine)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(watcher).toOpaque()
        pthread_create(&thread, nil, { argument in
            Unmanaged<Watcher>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, box)
        pthread_detach(thread)
    }

    private static let originals = Mutex<[Int32: Int32]>([:])

    /// Points each watched descriptor back where it went, so the last lines of a process that is about to exit
    /// are written directly (a watcher thread might not copy them in time).
    public static func restoreAll() {
        fflush(nil)
        for (fd, original) in originals.withLock({ $0 }) { _ = dup2(original, fd) }
    }

    private final class Watcher: @unchecked Sendable {
        let read: Descriptor
        let original: Descriptor
        let onLine: @Sendable (String) -> Void

        init(read: Descriptor, original: Descriptor, onLine: @escaping @Sendable (String) -> Void) {
            self.read = read
            self.original = original
            self.onLine = onLine
        }

        func run() {
            var buffer = [UInt8](repeating: 0, count: 16384)
            var line: [UInt8] = []
            while true {
                guard let count = try? read.read(into: &buffer), count > 0 else { break }
                let chunk = Array(buffer[..<count])
                try? original.writeAll(chunk)
                for byte in chunk {
                    if byte == 0x0A || line.count >= 65536 {
                        onLine(String(decoding: line, as: UTF8.self))
                        line.removeAll(keepingCapacity: true)
                    } else {
                        line.append(byte)
                    }
                }
            }
            if !line.isEmpty { onLine(String(decoding: line, as: UTF8.self)) }
        }
    }
}
