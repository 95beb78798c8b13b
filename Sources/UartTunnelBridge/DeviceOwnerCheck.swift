#if canImport(Glibc)
import Glibc
#endif
import UartTunnelSystem

/// Who serves the device port: the bridge runs as root and sends the device everything the host routes into the
/// tunnel, so a port that another local user bound before the device started would receive all of it. The
/// socket that accepted the bridge's connection must belong to the bridge's own user or to root
/// (`ProcNetTCP.ownerOfPeer`: the accepted socket carries its listener's owner); `--allow-foreign-device` waives it.
enum DeviceOwnerCheck {
    /// How often to look for the accepted end of a loopback connection: the server's kernel side may file it a
    /// moment after our connect returned (bounded; each look is one read of the tables).
    static let lookups = 50

    /// Nil if `socket` may be used; otherwise why not, in one sentence that says what to do.
    static func refusal(of socket: Descriptor, device: String) -> String? {
        var owner: UInt32?
        do {
            for attempt in 0..<lookups {
                owner = try ProcNetTCP.ownerOfPeer(of: socket)
                if owner != nil || !isLoopback(socket) { break }
                if attempt + 1 < lookups { usleep(2_000) }
            }
        } catch {
            return "cannot check who serves \(device) (\(error)); pass --allow-foreign-device to connect unchecked"
        }
        guard let owner else {
            if isLoopback(socket) {
                return "no socket in /proc/self/net/tcp or tcp6 accepted the connection to \(device), so its owner is "
                    + "unknown; pass --allow-foreign-device to connect unchecked"
            }
            return nil  // served from another host: its owner is not knowable here
        }
        return verdict(owner: owner, device: device)
    }

    /// The same rule for a unix socket: its listener's credentials (SO_PEERCRED).
    static func refusal(ofUnix socket: Descriptor, device: String) -> String? {
        let credentials: UnixSocket.PeerCredentials
        do {
            credentials = try UnixSocket.peerCredentials(of: socket)
        } catch {
            return "cannot check who serves \(device) (\(error)); pass --allow-foreign-device to connect unchecked"
        }
        return verdict(owner: credentials.uid, device: device)
    }

    private static func verdict(owner: UInt32, device: String) -> String? {
        let me = geteuid()
        guard owner != me && owner != 0 else { return nil }
        return "\(device) is served by a socket of \(userName(owner)), not by this user (\(userName(me))) or root: "
            + "another local user may have bound it before the device started, and would receive everything "
            + "the host sends into the tunnel. Start the device as this user or root, or pass --allow-foreign-device "
            + "if \(userName(owner)) is trusted"
    }

    private static func isLoopback(_ socket: Descriptor) -> Bool {
        (try? TCPSocket.localAddress(of: socket))?.isLoopback ?? false
    }

    private static func userName(_ uid: UInt32) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "uid \(uid) (\(String(cString: name)))"
    }
}
