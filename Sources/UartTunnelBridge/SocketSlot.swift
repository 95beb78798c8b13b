import Synchronization
import UartTunnelSystem

/// The bridge thread's current device socket, published so that `Bridge.stop()` on another thread can shut it
/// down: the one way to wake a thread blocked in a write to a device that stopped reading.
final class SocketSlot: Sendable {
    private let raw = Atomic<Int32>(-1)

    func publish(_ socket: Descriptor?) {
        raw.store(socket?.rawValue ?? -1, ordering: .sequentiallyConsistent)
    }

    /// Shuts the socket down (never closes it: closing is the owner's job, and would race with fd reuse).
    func shutdown() {
        let value = raw.load(ordering: .sequentiallyConsistent)
        if value >= 0 { Descriptor(rawValue: value).shutdown() }
    }
}
