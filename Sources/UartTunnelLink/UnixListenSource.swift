import UartTunnelSystem

/// Peers that connect to a unix socket (`--listen unix:PATH`, like QEMU's `-serial unix:PATH,server`): the file is
/// 0600, so only this user (and root) can connect; a stale file from a killed device is replaced; the file is
/// removed when the link ends (only if it is still the one this link bound).
public struct UnixListenSource: PeerSource {
    public let listener: Descriptor
    public let path: String
    private let identity: (device: UInt64, inode: UInt64)?

    public init(path: String) throws(SystemError) {
        listener = try UnixSocket.listen(on: path)
        self.path = path
        identity = UnixSocket.fileIdentity(path)
    }

    public var endpoint: String { "unix:\(path)" }

    public func nextPeer(timeout: Duration) throws(SystemError) -> (peer: Descriptor, name: String)? {
        guard try listener.waitReadable(timeout: timeout) else { return nil }
        let (peer, credentials) = try UnixSocket.accept(listener)
        return (peer, endpoint + (credentials.map { " (pid \($0.pid), uid \($0.uid))" } ?? ""))
    }

    public func release(_ peer: Descriptor) { peer.close() }

    public func close() {
        listener.close()
        removeFile()
    }

    /// Removes the socket file now (the device is stopping and may exit before the link's thread calls `close`).
    public func removeFile() {
        UnixSocket.remove(path, boundAs: identity)
    }
}
