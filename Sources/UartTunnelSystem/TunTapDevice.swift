#if canImport(Glibc)
import Glibc
#endif
import CUartTunnelLinux

/// A TUN (IP packets) or TAP (Ethernet frames) interface, attached through `/dev/net/tun`. Both are opened with
/// IFF_NO_PI: each read returns exactly one packet/frame, each write sends exactly one, with no 4-byte prefix.
public struct TunTapDevice: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case tap, tun
    }

    /// Read and write packets here (blocking). Not owned: call `close()` once; the interface stays if it was
    /// created beforehand (`ip tuntap add`), and disappears with the last descriptor otherwise.
    public let descriptor: Descriptor
    public let name: InterfaceName
    public let mode: Mode

    /// Opens `/dev/net/tun` and attaches to `name`, creating the interface when it does not exist (which needs
    /// CAP_NET_ADMIN). Attaching to an interface made with `ip tuntap add ... user U` works for user U.
    public static func open(name: InterfaceName, mode: Mode) throws(SystemError) -> TunTapDevice {
        let raw = try retryingInterrupts("open(/dev/net/tun)") { Glibc.open("/dev/net/tun", O_RDWR | O_CLOEXEC) }
        let descriptor = Descriptor(rawValue: raw)
        var actual = [CChar](repeating: 0, count: Int(CUartTunnelLinux_IFNAMSIZ))
        let code = CUartTunnelLinux_tunSetInterface(raw, name.rawValue, mode == .tap ? 1 : 0, &actual)
        guard code == 0 else {
            descriptor.close()
            throw SystemError(call: "ioctl(TUNSETIFF, \(name), \(mode))", errno: code)
        }
        let kernelName = String(decoding: actual.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return TunTapDevice(descriptor: descriptor, name: (try? InterfaceName(validating: kernelName)) ?? name, mode: mode)
    }

    public func close() {
        descriptor.close()
    }
}
