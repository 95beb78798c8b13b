import UartTunnelSystem

/// Opens the bridge's device end, whatever it is: a TCP connection to QEMU's chardev or `uart-tunnel device`, or
/// a serial port (`--serial`). The session treats both as one byte stream; only opening differs.
enum DeviceConnector {
    /// Why an attempt failed, and whether waiting can help.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// A fault of the command line or the machine (EBUSY, permissions, a format the port refuses, not a tty):
        /// retrying can not help, so the bridge stops with this message when it has never been connected.
        let isPermanent: Bool
    }

    static func open(_ configuration: BridgeConfiguration) throws(Failure) -> Descriptor {
        if let serial = configuration.serial {
            do {
                return try SerialPort.open(serial.path, settings: serial.settings).descriptor
            } catch {
                // Unplugged (ENOENT, ENODEV, ENXIO, EIO): the adapter or pty may come back.
                throw Failure(description: error.description, isPermanent: !error.isAbsent)
            }
        }
        if let path = configuration.unixSocket {
            let socket: Descriptor
            do {
                socket = try UnixSocket.connect(to: path)
            } catch {
                // absent or refused: the device may start later; no permission: the file's mode refuses this user
                throw Failure(description: error.description, isPermanent: error.isPermissionDenied)
            }
            if !configuration.allowForeignDevice,
               let refusal = DeviceOwnerCheck.refusal(ofUnix: socket, device: configuration.deviceName) {
                socket.close()
                throw Failure(description: refusal, isPermanent: true)
            }
            return socket
        }
        let socket: Descriptor
        do {
            socket = try TCPSocket.connect(to: configuration.device, timeout: configuration.connectTimeout)
        } catch {
            throw Failure(description: error.description, isPermanent: false)
        }
        if !configuration.allowForeignDevice,
           let refusal = DeviceOwnerCheck.refusal(of: socket, device: configuration.device.description) {
            socket.close()  // before a byte goes either way
            throw Failure(description: refusal, isPermanent: true)
        }
        return socket
    }
}
