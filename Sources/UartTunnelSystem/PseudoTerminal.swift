import CUartTunnelLinux
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal whose master this process keeps, like QEMU's `-serial pty`: serial tools open `slavePath`
/// (`/dev/pts/N`) as if it were the board's USB-serial port. The slave starts in raw mode, 8 data bits.
///
/// ```
///  this process ── master fd ══ kernel pty ══ /dev/pts/N ── bridge --serial, picocom, pyserial
/// ```
///
/// Whether someone has the slave open shows on the master: with no opener, `poll` reports POLLHUP and `read`
/// fails with EIO; both clear when a program opens the slave again, so the master outlives its openers.
public struct PseudoTerminal: Sendable {
    public let master: Descriptor
    public let slavePath: String

    /// A new pty; the master is non-blocking (a full pty must not block the writer) and close-on-exec.
    public static func open() throws(SystemError) -> PseudoTerminal {
        var fd: Int32 = -1
        var path = [CChar](repeating: 0, count: 128)
        try checkingReturnedErrno("posix_openpt", CUartTunnelLinux_openPseudoTerminal(&fd, &path, UInt(path.count)))
        let terminal = PseudoTerminal(master: Descriptor(rawValue: fd),
                                      slavePath: String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        do {
            try terminal.master.setNonBlocking(true)
        } catch {
            terminal.master.close()
            throw error
        }
        return terminal
    }

    /// True while at least one program has the slave open (the master reports no hang-up).
    public func hasOpener() throws(SystemError) -> Bool {
        try Poll.wait([(master, Int16(0))], timeout: .zero)[0] & Int16(POLLHUP) == 0
    }

    public func close() {
        master.close()
    }

    /// Makes `path` a symbolic link to `target` (a stable name for a pty whose number changes each run), replacing
    /// an older symbolic link atomically; a regular file or directory at `path` is never replaced (EEXIST).
    public static func link(_ path: String, to target: String) throws(SystemError) {
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFLNK {
            throw SystemError(call: "symlink(\(path)): not a symbolic link, left alone", errno: EEXIST)
        }
        let temporary = "\(path).\(getpid()).new"
        _ = try retryingInterrupts("symlink(\(target), \(temporary))") { symlink(target, temporary) }
        do {
            _ = try retryingInterrupts("rename(\(temporary), \(path))") { rename(temporary, path) }
        } catch {
            Glibc.unlink(temporary)
            throw error
        }
    }

    /// Removes the symbolic link `path` if it still points at `target` (another run may have taken the name).
    public static func removeLink(_ path: String, ifPointingAt target: String) {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0, String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == target
        else { return }
        Glibc.unlink(path)
    }
}
