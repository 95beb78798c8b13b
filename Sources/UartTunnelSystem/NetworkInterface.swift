#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux

/// Reads and changes one interface's IPv4 address, netmask, MTU, MAC and up flag with the classic SIOC[GS]IF*
/// ioctls on a throwaway datagram socket. Reading needs no privilege; changing needs CAP_NET_ADMIN (EPERM
/// otherwise), so callers can compare first and change only what differs.
/// Addresses are 4 bytes, MACs 6 bytes, both in network order.
public struct NetworkInterface: Sendable {
    public let name: InterfaceName

    public init(_ name: InterfaceName) {
        self.name = name
    }

    /// The kernel's index for the interface, or nil when it does not exist.
    public var index: UInt32? {
        let index = if_nametoindex(name.rawValue)
        return index == 0 ? nil : index
    }

    /// The primary IPv4 address, or nil when the interface has none.
    public func ipv4Address() throws(SystemError) -> [UInt8]? {
        try readAddress("SIOCGIFADDR", CUartTunnelLinux_getIPv4Address)
    }

    public func setIPv4Address(_ address: [UInt8]) throws(SystemError) {
        precondition(address.count == 4, "an IPv4 address has 4 bytes")
        try control("SIOCSIFADDR") { CUartTunnelLinux_setIPv4Address($0, name.rawValue, address) }
    }

    /// The netmask of the primary IPv4 address, or nil when the interface has no address.
    public func ipv4Netmask() throws(SystemError) -> [UInt8]? {
        try readAddress("SIOCGIFNETMASK", CUartTunnelLinux_getIPv4Netmask)
    }

    public func setIPv4Netmask(_ netmask: [UInt8]) throws(SystemError) {
        precondition(netmask.count == 4, "an IPv4 netmask has 4 bytes")
        try control("SIOCSIFNETMASK") { CUartTunnelLinux_setIPv4Netmask($0, name.rawValue, netmask) }
    }

    public func mtu() throws(SystemError) -> Int {
        var value: Int32 = 0
        try control("SIOCGIFMTU") { CUartTunnelLinux_getMTU($0, name.rawValue, &value) }
        return Int(value)
    }

    public func setMTU(_ mtu: Int) throws(SystemError) {
        try control("SIOCSIFMTU") { CUartTunnelLinux_setMTU($0, name.rawValue, Int32(clamping: mtu)) }
    }

    public func hardwareAddress() throws(SystemError) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 6)
        try control("SIOCGIFHWADDR") { CUartTunnelLinux_getHardwareAddress($0, name.rawValue, &mac) }
        return mac
    }

    public func setHardwareAddress(_ mac: [UInt8]) throws(SystemError) {
        precondition(mac.count == 6, "an Ethernet address has 6 bytes")
        try control("SIOCSIFHWADDR") { CUartTunnelLinux_setHardwareAddress($0, name.rawValue, mac) }
    }

    public func isUp() throws(SystemError) -> Bool {
        var up: Int32 = 0
        try control("SIOCGIFFLAGS") { CUartTunnelLinux_getLinkUp($0, name.rawValue, &up) }
        return up != 0
    }

    /// Sets IFF_UP (and IFF_RUNNING), keeping the other flags.
    public func setUp() throws(SystemError) {
        try control("SIOCSIFFLAGS") { CUartTunnelLinux_setLinkUp($0, name.rawValue) }
    }

    private func readAddress(
        _ request: String, _ get: (Int32, UnsafePointer<CChar>, UnsafeMutablePointer<UInt8>) -> Int32
    ) throws(SystemError) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 4)
        do {
            try control(request) { get($0, name.rawValue, &bytes) }
        } catch where error.errno == EADDRNOTAVAIL {
            return nil
        }
        return bytes
    }

    /// Runs one helper on a fresh AF_INET datagram socket (the ioctls need some socket, any will do).
    private func control(_ request: String, _ body: (Int32) -> Int32) throws(SystemError) {
        let socket = try retryingInterrupts("socket(AF_INET, SOCK_DGRAM)") {
            Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        defer { _ = Glibc.close(socket) }
        try checkingReturnedErrno("ioctl(\(request), \(name))", body(socket))
    }
}
