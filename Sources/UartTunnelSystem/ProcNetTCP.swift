#if canImport(Glibc)
import Glibc
#endif

/// The kernel's TCP socket tables, `/proc/self/net/tcp` and `tcp6` (this process's network namespace): who owns
/// the socket at the other end of a loopback connection.
///
/// Each line is `sl local rem st tx:rx tr:when retrnsmt uid timeout inode …`; an address is the IPv4 address as
/// one 32-bit word (or IPv6 as four) printed in host byte order, then `:PORT` in hex. A dual-stack listener's
/// IPv4 connections are in `tcp6` with IPv4-mapped addresses (::ffff:a.b.c.d).
///
/// The socket a listener accepts is a clone of the listener (the kernel's `sk_clone_lock` copies `sk_uid`), so
/// its `uid` column is the listener's owner: checking the accepted end of *our* connection checks exactly the
/// listener we reached, with no race against a listener that changes between a lookup and the connect.
public enum ProcNetTCP {
    public struct Entry: Sendable, Equatable {
        /// 16 bytes: IPv6, or IPv4 as an IPv4-mapped IPv6 address.
        public var local: [UInt8]
        public var localPort: UInt16
        public var remote: [UInt8]
        public var remotePort: UInt16
        /// `st`: 0x01 established, 0x0A listening, …
        public var state: UInt8
        public var uid: UInt32
        public var inode: UInt64
    }

    public static let listening: UInt8 = 0x0A

    /// Parses one table's text (`tcp` when `ipv6` is false, `tcp6` otherwise); lines that do not parse are skipped.
    public static func parse(_ text: String, ipv6: Bool) -> [Entry] {
        var entries: [Entry] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 10, let local = endpoint(fields[1], ipv6: ipv6),
                  let remote = endpoint(fields[2], ipv6: ipv6), let state = UInt8(fields[3], radix: 16),
                  let uid = UInt32(fields[7]), let inode = UInt64(fields[9]) else { continue }
            entries.append(Entry(local: local.address, localPort: local.port, remote: remote.address,
                                 remotePort: remote.port, state: state, uid: uid, inode: inode))
        }
        return entries
    }

    /// Both tables of this network namespace.
    public static func entries() throws(SystemError) -> [Entry] {
        try parse(read("/proc/self/net/tcp"), ipv6: false) + parse(read("/proc/self/net/tcp6"), ipv6: true)
    }

    /// The owner of the socket that accepted a connection from `local` to `remote` on this host (its entry has
    /// them the other way round), or nil when no such socket is in this namespace's tables (the peer is on
    /// another host).
    public static func ownerOfAcceptedEnd(local: SocketAddress, remote: SocketAddress) throws(SystemError) -> UInt32? {
        guard let localBytes = mapped(local.host), let remoteBytes = mapped(remote.host) else { return nil }
        return try entries().first {
            $0.state != listening && $0.local == remoteBytes && $0.localPort == remote.port
                && $0.remote == localBytes && $0.remotePort == local.port
        }?.uid
    }

    /// The owner of the socket at the other end of connected TCP socket `socket`, if it is on this host.
    public static func ownerOfPeer(of socket: Descriptor) throws(SystemError) -> UInt32? {
        var sin = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(socket.rawValue, $0, &length) }
        }
        guard result == 0 else { throw SystemError.current("getpeername(\(socket))") }
        return try ownerOfAcceptedEnd(local: TCPSocket.localAddress(of: socket), remote: SocketAddress(sin))
    }

    /// The IPv4-mapped IPv6 bytes of a dotted quad.
    static func mapped(_ host: String) -> [UInt8]? {
        guard let address = SocketAddress.ipv4Bytes(host) else { return nil }
        let value = address.s_addr  // network byte order in memory
        return [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + withUnsafeBytes(of: value) { Array($0) }
    }

    /// "0100007F:15B4" (or 32 hex digits for IPv6) → 16 address bytes and the port.
    static func endpoint(_ text: Substring, ipv6: Bool) -> (address: [UInt8], port: UInt16)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1], radix: 16), parts[0].count == (ipv6 ? 32 : 8) else {
            return nil
        }
        // each 32-bit word is printed as the number it holds in host byte order: its bytes in memory reversed
        var bytes: [UInt8] = []
        var index = parts[0].startIndex
        while index < parts[0].endIndex {
            let end = parts[0].index(index, offsetBy: 8)
            guard let word = UInt32(parts[0][index..<end], radix: 16) else { return nil }
            bytes += withUnsafeBytes(of: word) { Array($0) }  // host order = the kernel's memory order
            index = end
        }
        return (ipv6 ? bytes : [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + bytes, port)
    }

    private static func read(_ path: String) throws(SystemError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            // no IPv6 in this kernel: no tcp6 table, and nothing to find there
            if errno == ENOENT && path.hasSuffix("6") { return "" }
            throw SystemError.current("open(\(path))")
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read(\(path))")
            }
            if count == 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
