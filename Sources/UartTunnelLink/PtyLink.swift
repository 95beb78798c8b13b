import Foundation
import Logging
import UartTunnelSystem

/// The peer of `uart-tunnel device --pty`: whoever has the pty's slave open. The master stays with the device for
/// its whole life; an opener that goes away (the master's reads fail with EIO, poll reports POLLHUP) is a peer
/// that disconnected, and the next program to open the slave is the next peer — as a USB-serial adapter that is
/// unplugged and plugged back in.
///
/// A hung-up master keeps reporting POLLHUP, so poll can not wait for the next opener: it is looked for every
/// ``openerCheckInterval`` (QEMU's pty chardev checks once a second).
public struct PtyPeerSource: PeerSource {
    public static let openerCheckInterval: Duration = .milliseconds(20)
    public let terminal: PseudoTerminal
    /// `--pty-link`: a symbolic link to the slave, removed when the link stops.
    public let symlink: String?

    public init(terminal: PseudoTerminal, symlink: String? = nil) {
        self.terminal = terminal
        self.symlink = symlink
    }

    public var endpoint: String { terminal.slavePath }

    public func nextPeer(timeout: Duration) throws(SystemError) -> (peer: Descriptor, name: String)? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try terminal.hasOpener() { return (terminal.master, terminal.slavePath) }
            let left = deadline - .now
            guard left > .zero else { return nil }
            Thread.sleep(forTimeInterval: Double(MonotonicTime.nanoseconds(min(left, Self.openerCheckInterval))) / 1e9)
        }
    }

    /// The master is not the opener's to close: it waits for the next one.
    public func release(_ peer: Descriptor) {}

    public func close() {
        if let symlink { PseudoTerminal.removeLink(symlink, ifPointingAt: terminal.slavePath) }
        terminal.close()
    }
}

extension TCPServerLink {
    /// The device's UART as a new pseudo-terminal; `symlink` (if given) is made to point at its slave, replacing
    /// an older link of ours, so tools can be started with a fixed name.
    public static func pseudoTerminal(symlink: String?, logger: Logger) throws(SystemError) -> TCPServerLink {
        let terminal = try PseudoTerminal.open()
        if let symlink {
            do {
                try PseudoTerminal.link(symlink, to: terminal.slavePath)
            } catch {
                terminal.close()
                throw error
            }
        }
        return try TCPServerLink(source: PtyPeerSource(terminal: terminal, symlink: symlink), logger: logger)
    }
}
