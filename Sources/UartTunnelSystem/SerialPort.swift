import CUartTunnelLinux
#if canImport(Glibc)
import Glibc
#endif

/// A serial device (`/dev/ttyUSB0`, `/dev/ttyACM0`, a pty slave) opened for a byte tunnel: raw mode, exact rate
/// through termios2 (`BOTHER`), exclusive (`TIOCEXCL`). The descriptor blocks on reads and writes, like a socket.
public struct SerialPort: Sendable {
    /// Parity as termios can set it.
    public enum Parity: Int32, Sendable, CaseIterable {
        case none = 0, even = 1, odd = 2, mark = 3, space = 4

        /// From the letter of `8N1`, `8E1`, … (N, E, O, M, S).
        public init?(letter: String) {
            guard let index = ["N", "E", "O", "M", "S"].firstIndex(of: letter.uppercased()) else { return nil }
            self.init(rawValue: Int32(index))
        }
    }

    /// What `open` asks of the port, and (from `settings()`) what the driver accepted.
    public struct Settings: Sendable, Equatable, CustomStringConvertible {
        public var baud: Int
        /// 5...8 (Linux termios has no 9-bit characters).
        public var dataBits: Int
        public var parity: Parity
        /// 1 or 2 (termios has no 1.5).
        public var stopBits: Int
        public var rtscts: Bool

        public init(baud: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, rtscts: Bool = false) {
            self.baud = baud
            self.dataBits = dataBits
            self.parity = parity
            self.stopBits = stopBits
            self.rtscts = rtscts
        }

        public var description: String {
            let letter = ["N", "E", "O", "M", "S"][Int(parity.rawValue)]
            return "\(baud) \(dataBits)\(letter)\(stopBits)\(rtscts ? " rtscts" : "")"
        }
    }

    public let path: String
    public let descriptor: Descriptor

    /// Opens `path` without becoming its controlling terminal and without waiting for carrier, configures it and
    /// takes it exclusively. The port is closed again when any step fails.
    public static func open(_ path: String, settings: Settings) throws(SerialPortError) -> SerialPort {
        guard (5...8).contains(settings.dataBits), [1, 2].contains(settings.stopBits), settings.baud > 0,
              settings.baud <= Int(UInt32.max)
        else { throw .unsupported(path: path, settings: settings) }
        let fd: Int32
        do {
            fd = try retryingInterrupts("open(\(path))") { Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) }
        } catch {
            throw .open(error)
        }
        let descriptor = Descriptor(rawValue: fd)
        do throws(SerialPortError) {
            guard isatty(fd) == 1 else { throw .notATerminal(path: path) }
            do throws(SystemError) {
                try checkingReturnedErrno("TIOCEXCL(\(path))", CUartTunnelLinux_serialSetExclusive(fd))
                try checkingReturnedErrno("TCSETS2(\(path), \(settings))", CUartTunnelLinux_serialConfigure(
                    fd, UInt32(settings.baud), Int32(settings.dataBits), settings.parity.rawValue,
                    Int32(settings.stopBits), settings.rtscts ? 1 : 0))
                // O_NONBLOCK was only for the open (no wait for DCD); the tunnel reads and writes block.
                try descriptor.setNonBlocking(false)
            } catch {
                throw .configure(error)
            }
        } catch {
            descriptor.close()
            throw error
        }
        return SerialPort(path: path, descriptor: descriptor)
    }

    /// What the driver really has now (`TCGETS2`), and whether the port is in raw mode.
    public func settings() throws(SystemError) -> (settings: Settings, inputBaud: Int, raw: Bool) {
        var input: UInt32 = 0, output: UInt32 = 0
        var bits: Int32 = 0, parity: Int32 = 0, stop: Int32 = 0, rtscts: Int32 = 0, raw: Int32 = 0
        try checkingReturnedErrno("TCGETS2(\(path))", CUartTunnelLinux_serialSettings(
            descriptor.rawValue, &input, &output, &bits, &parity, &stop, &rtscts, &raw))
        let settings = Settings(baud: Int(output), dataBits: Int(bits), parity: Parity(rawValue: parity) ?? .none,
                                stopBits: Int(stop), rtscts: rtscts != 0)
        return (settings, Int(input), raw != 0)
    }

    /// `TIOCGEXCL`: whether other opens are refused.
    public func isExclusive() throws(SystemError) -> Bool {
        var exclusive: Int32 = 0
        try checkingReturnedErrno("TIOCGEXCL(\(path))", CUartTunnelLinux_serialIsExclusive(descriptor.rawValue, &exclusive))
        return exclusive != 0
    }

    public func close() {
        descriptor.close()
    }
}

/// Why a serial port could not be used; each says what to check.
public enum SerialPortError: Error, Equatable, CustomStringConvertible {
    case open(SystemError)
    case notATerminal(path: String)
    case unsupported(path: String, settings: SerialPort.Settings)
    case configure(SystemError)

    /// The port is gone or not there yet (unplugged, or a pty whose master closed): worth retrying.
    public var isAbsent: Bool {
        if case .open(let error) = self { return [ENOENT, ENODEV, ENXIO, EIO].contains(error.errno) }
        return false
    }

    public var description: String {
        switch self {
        case .open(let error):
            var text = "\(error)"
            if error.errno == EBUSY { text += ". Another program holds the port exclusively (a bridge, picocom, ModemManager?)" }
            if error.isPermissionDenied { text += ". Add your user to the port's group (usually dialout) or run as root" }
            if error.errno == ENOENT { text += ". Is the adapter plugged in (ls /dev/ttyUSB* /dev/ttyACM*)?" }
            return text
        case .notATerminal(let path):
            return "\(path) is not a terminal device; --serial takes a tty such as /dev/ttyUSB0 or a pty slave"
        case .unsupported(let path, let settings):
            return "\(path): \(settings) can not be set: Linux termios takes 5-8 data bits and 1 or 2 stop bits"
        case .configure(let error):
            return "configuring the port failed: \(error). Does its driver support this rate and format?"
        }
    }
}
