#if canImport(Glibc)
import Glibc
#endif
import UartTunnelSystem

/// Why the bridge could not start or had to stop. Each description says what to do about it.
public enum BridgeError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// Opening `/dev/net/tun` or attaching to the interface failed.
    case openInterface(SystemError, name: InterfaceName, mode: TunTapDevice.Mode)
    /// Changing one interface setting failed; `fix` is the `ip` command that makes the same change.
    case configureInterface(SystemError, setting: String, fix: String)
    /// Reading the interface failed: it was probably deleted under the bridge.
    case interfaceIO(SystemError)
    /// The device end can not be opened and waiting would not help (e.g. a serial port held by another program).
    case device(String)
    case system(SystemError)

    public var description: String {
        switch self {
        case .invalidConfiguration(let text):
            return text
        case .openInterface(let error, let name, let mode):
            var text = "can not attach to \(mode) interface \(name): \(error)"
            if error.isPermissionDenied && error.call.hasPrefix("open") {
                text += ". /dev/net/tun must be readable and writable by this user (it usually is: mode 0666)"
            } else if error.isPermissionDenied {
                text += ". Creating an interface needs root or CAP_NET_ADMIN; without them, create it beforehand "
                    + "for your user: sudo ip tuntap add dev \(name) mode \(mode) user $USER"
            } else if error.errno == EINVAL {
                text += ". Does \(name) already exist as a different kind (tun vs tap) or with other flags? "
                    + "Check: ip -d link show \(name)"
            } else if error.errno == EBUSY {
                text += ". Another process is attached to \(name)"
            }
            return text
        case .configureInterface(let error, let setting, let fix):
            if error.isPermissionDenied {
                return "setting \(setting) needs CAP_NET_ADMIN (\(error)). Run as root, or configure it beforehand: \(fix)"
            }
            return "setting \(setting) failed: \(error). The equivalent command is: \(fix)"
        case .interfaceIO(let error):
            return "interface I/O failed (was the interface deleted?): \(error)"
        case .device(let text):
            return "device: \(text)"
        case .system(let error):
            return error.description
        }
    }
}
