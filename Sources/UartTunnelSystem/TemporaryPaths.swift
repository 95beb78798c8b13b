#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Files and directories this process created in the temporary directory (child logs, firmware compile
/// directories) and must not leave behind: each is registered when made and removed when done, and
/// `removeAll()` — called on SIGINT/SIGTERM before the process exits, where no `deinit` or `defer` runs —
/// removes whatever is still registered.
public enum TemporaryPaths {
    private static let paths = Mutex<Set<String>>([])

    public static func register(_ path: String) {
        paths.withLock { _ = $0.insert(path) }
    }

    /// Removes `path` (a file, or a directory with its contents) and forgets it.
    public static func remove(_ path: String) {
        paths.withLock { _ = $0.remove(path) }
        removeTree(path)
    }

    /// Removes every registered path but `kept` (which stay registered); for the signal handler's last step, and
    /// before an exec that hands `kept` to the next process image.
    public static func removeAll(except kept: Set<String> = []) {
        let all = paths.withLock { list in
            let removed = list.subtracting(kept)
            list.subtract(removed)
            return removed
        }
        for path in all { removeTree(path) }
    }

    public static var registered: Set<String> { paths.withLock { $0 } }

    /// `rm -r` without following symlinks: a compile directory holds a few plain files.
    private static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) {
            var entries: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { entries.append(name) }
            }
            closedir(directory)
            for name in entries { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
