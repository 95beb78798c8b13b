import Synchronization
import UartTunnelSystem

/// The UART's TCP peer across a chip reset: QEMU keeps its chardev connected while the ESP32 reboots, so a device
/// process replaced by `esp_restart` adopts the listener and the connected peer it was handed instead of binding
/// anew, and serves that peer before accepting others.
public final class HandedOverPeer: Sendable {
    private let peer: Mutex<(peer: Descriptor, name: String)?>

    init(_ peer: (peer: Descriptor, name: String)?) {
        self.peer = Mutex(peer)
    }

    /// The peer, once.
    func take() -> (peer: Descriptor, name: String)? {
        peer.withLock { slot in
            defer { slot = nil }
            return slot
        }
    }
}

extension TCPListenSource {
    /// A listener (and maybe its connected peer) inherited from the process this one replaced.
    public init(adopting listener: Descriptor, peer: (peer: Descriptor, name: String)?) throws(SystemError) {
        self.listener = listener
        address = try TCPSocket.localAddress(of: listener)
        handedOver = HandedOverPeer(peer)
    }
}
