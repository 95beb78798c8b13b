import Foundation
import Testing
import UartTunnelSystem

/// The unix-socket transport's file rules: created 0600 (the access control), a stale file from a killed device
/// replaced, a live one or a non-socket file never touched, removed only if it is still ours.
@Suite struct UnixSocketTests {
    private static func temporaryPath() throws -> (directory: String, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ut-unix-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        return (directory, directory + "/uart.sock")
    }

    private static func mode(_ path: String) -> UInt16 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt16(info.st_mode & 0o777) : 0
    }

    /// A socket file nobody can connect to: bound, never listening, closed.
    private static func bindOnly(_ path: String) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
    }

    @Test func listensWithMode0600AndTellsThePeersCredentials() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try UnixSocket.listen(on: path)
        defer { listener.close() }
        #expect(Self.mode(path) == 0o600)
        let client = try UnixSocket.connect(to: path)
        defer { client.close() }
        #expect(try listener.waitReadable(timeout: .seconds(5)))
        let (accepted, credentials) = try UnixSocket.accept(listener)
        defer { accepted.close() }
        #expect(credentials?.pid == getpid() && credentials?.uid == geteuid() && credentials?.gid == getegid())
        #expect(try UnixSocket.peerCredentials(of: client).uid == geteuid())
        try client.writeAll([1, 2, 3])
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try accepted.read(into: &buffer) == 3 && buffer.prefix(3) == [1, 2, 3])
    }

    @Test func aStaleSocketFileIsReplacedButALiveOneOrAnotherFileIsNot() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // a device that was killed: its socket file stays, nobody listens. Made by bind alone, not listen+close:
        // a child another test forks at that moment holds our descriptors until it execs, and a listener it held
        // would still accept the liveness probe.
        Self.bindOnly(path)
        #expect(FileManager.default.fileExists(atPath: path))
        let live = try UnixSocket.listen(on: path)
        #expect(throws: SystemError.self) { _ = try UnixSocket.listen(on: path) }
        do { _ = try UnixSocket.listen(on: path) } catch { #expect(error.errno == EADDRINUSE, "\(error)") }
        let identity = UnixSocket.fileIdentity(path)
        live.close()
        UnixSocket.remove(path, boundAs: identity)
        #expect(!FileManager.default.fileExists(atPath: path), "removed: it was ours")

        let other = directory + "/notes.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: other))
        do { _ = try UnixSocket.listen(on: other) } catch { #expect(error.errno == EEXIST, "\(error)") }
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "keep me")
    }

    @Test func aSocketFileThatIsNoLongerOursIsNotRemoved() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try UnixSocket.listen(on: path)
        defer { first.close() }
        let identity = UnixSocket.fileIdentity(path)
        // someone moved our file away and another device listens at the path now
        #expect(rename(path, directory + "/moved.sock") == 0)
        let second = try UnixSocket.listen(on: path)
        defer { second.close() }
        UnixSocket.remove(path, boundAs: identity)
        #expect(FileManager.default.fileExists(atPath: path), "the newer device's socket stays")
    }

    /// The file mode is the access control: another user cannot connect to a 0600 socket of root's.
    @Test(.enabled(if: geteuid() == 0, "needs root to run a connect as another user"))
    func anotherUserCannotConnect() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o755)
        let listener = try UnixSocket.listen(on: path)
        defer { listener.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
                             "import socket,sys\ntry:\n socket.socket(socket.AF_UNIX).connect(sys.argv[1]); print('connected')\nexcept OSError as e:\n print('errno', e.errno)",
                             path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.contains("errno \(EACCES)"), "\(output)")
    }
}
