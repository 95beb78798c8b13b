import UartTunnelSystem

/// Where a device link's peers come from: a TCP listener (QEMU's `-serial tcp:…,server`) or a pseudo-terminal
/// (QEMU's `-serial pty`). ``TCPServerLink`` serves one peer at a time from any source; only waiting for the
/// next peer and letting go of the last one differ.
public protocol PeerSource: Sendable {
    /// How logs name the endpoint: `127.0.0.1:5556`, `/dev/pts/3`.
    var endpoint: String { get }
    /// Waits up to `timeout` for the next peer; nil when none came. The descriptor must suit `read(2)` after a
    /// poll and ``Descriptor/sendIfReady(_:)``.
    func nextPeer(timeout: Duration) throws(SystemError) -> (peer: Descriptor, name: String)?
    /// The peer left and no thread uses `peer` any more.
    func release(_ peer: Descriptor)
    /// The link stopped: nothing more will be asked.
    func close()
}

/// Peers that connect to a listening TCP socket; each connection is a new descriptor, closed when it ends.
public struct TCPListenSource: PeerSource {
    public let listener: Descriptor
    public let address: SocketAddress
    /// A peer already connected when the device process was replaced by esp_restart (HandedOverPeer.swift).
    var handedOver: HandedOverPeer?

    /// Binds now (so a port-in-use error surfaces before anything starts); `port` 0 picks a free port.
    public init(listenOn requested: SocketAddress) throws(SystemError) {
        listener = try TCPSocket.listen(on: requested, backlog: 1)
        do {
            address = try TCPSocket.localAddress(of: listener)
        } catch {
            listener.close()
            throw error
        }
    }

    public var endpoint: String { address.description }

    public func nextPeer(timeout: Duration) throws(SystemError) -> (peer: Descriptor, name: String)? {
        if let peer = handedOver?.take() { return peer }
        guard try listener.waitReadable(timeout: timeout) else { return nil }
        let (peer, from) = try TCPSocket.accept(listener)
        return (peer, from.description)
    }

    public func release(_ peer: Descriptor) { peer.close() }

    public func close() { listener.close() }
}
