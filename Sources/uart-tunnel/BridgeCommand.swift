import ArgumentParser
import Logging
import UartTunnelBridge
import UartTunnelLink
import UartTunnelSystem
import UartTunnelWire

/// `uart-tunnel bridge`: the host end of the tunnel, the seed's `tools/serial_tun_bridge.py` done properly.
struct BridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Bridge the device's UART tunnel (TCP, or a serial port) to a Linux TUN/TAP interface.",
        discussion: """
            Connects to the device's TCP endpoint (QEMU's UART1 chardev server, or `uart-tunnel device`), opens \
            the interface through /dev/net/tun, gives it the address, MTU and (tap) MAC (--mac, default \
            02:00:00:00:00:01), and \
            moves length-prefixed Ethernet records both ways. If the device goes away the interface is kept and \
            the bridge reconnects. SIGINT/SIGTERM stop it cleanly and print the counters.

            With --serial the device is a tty instead: a board on a USB-serial adapter (/dev/ttyUSB0, \
            /dev/ttyACM0) or `uart-tunnel device --pty`. The port is set to raw mode at exactly --baud (termios2, \
            so rates outside the standard table work where the adapter does), --frame and --flow, and opened \
            exclusively (TIOCEXCL). Unplugging keeps the interface; the bridge reopens the path with backoff \
            and traffic resumes when it is back.

            Jumbo frames: --max-frame 9018 on every end (device, bridge, firmware's \
            CONFIG_UART_TUNNEL_MAX_FRAME); the MTU follows (9000) unless --mtu says otherwise. \
            `uart-tunnel check bridge` reports an end that refuses or truncates the other's frames.

            Without root, create and configure the interface beforehand, e.g.:
              sudo ip tuntap add dev tun0 mode tap user $USER
              sudo ip link set dev tun0 address 02:00:00:00:00:01 mtu 1500 up
              sudo ip addr add 192.168.100.1/24 dev tun0
            """)

    @Option(help: "The device's endpoint: HOST:PORT (TCP), or unix:PATH (a unix socket, e.g. `device --listen unix:PATH` or QEMU's -serial unix:PATH,server).")
    var connect = "127.0.0.1:5556"

    @Option(help: ArgumentHelp("Talk to the device over this serial port (e.g. /dev/ttyUSB0, a pty from `device --pty`) instead of TCP.",
                               valueName: "path"))
    var serial: String?

    @Option(help: "Baud rate of --serial (any rate the adapter takes, e.g. 115200, 921600, 3000000).")
    var baud = 115200

    @Option(help: ArgumentHelp("Character format of --serial: data bits 5-8, parity N/E/O/M/S, stop bits 1 or 2.", valueName: "format"))
    var frame = "8N1"

    @Option(help: "Flow control of --serial: none, or rtscts (hardware).")
    var flow: SerialFlow = .none

    @Option(help: "Longest frame either way, 1518 (default) up to 9018 for jumbo frames; the device must take as much.")
    var maxFrame = 1518

    @Option(help: "Interface name (created when absent, which needs CAP_NET_ADMIN).")
    var ifname = "tun0"

    @Option(help: "tap: Ethernet frames unchanged. tun: IP packets; the bridge adds/strips the header and answers ARP.")
    var mode: TunTapDevice.Mode = .tap

    @Option(help: "The interface's IPv4 address and prefix.")
    var address = "192.168.100.1/24"

    @Option(help: ArgumentHelp(
        "The interface's MAC (tap), or the source MAC of the frames a tun bridge makes. Default: the seed's 02:00:00:00:00:01.",
        discussion: "The device's static ARP entry for its gateway expects 02:00:00:00:00:01 on UART1's side. A second bridge for the device's Wi-Fi soft-AP (`device --ap-listen`), whose interface is a station of the AP, takes another, e.g. `--ifname tun1 --address 192.168.4.2/24 --mac 02:00:00:00:00:03`: the firmware's WIFI_EVENT_AP_STACONNECTED names that MAC."))
    var mac = MACAddress.host.description

    @Option(help: "Interface MTU; frames to the device are at most MTU + 14 bytes. Default: --max-frame - 18 (1500).")
    var mtu: Int?

    @Flag(help: "Let IPv6 Router Advertisements from the device configure the interface (accept_ra, autoconf). Off by default: firmware under test must not change the host's routes.")
    var acceptRa = false

    @Flag(help: "Connect even if the device port is served by another user's socket. Off by default: the bridge checks the owner in /proc/net/tcp* and refuses a port that another local user bound before the device started, since it would receive everything the host sends into the tunnel.")
    var allowForeignDevice = false

    @OptionGroup var logging: LogLevelOption

    func validate() throws {
        _ = try makeConfiguration()
    }

    func run() throws {
        logging.bootstrap()
        let logger = Logger(label: "bridge")
        Signals.ignorePipe()
        do {
            let bridge = try Bridge(configuration: try makeConfiguration(), logger: logger)
            Signals.onTermination { signal in
                logger.info("signal \(signal): stopping")
                bridge.stop()
            }
            try bridge.run()
        } catch let error as BridgeError {
            logger.error("\(error)")
            throw ExitCode.failure
        }
    }

    private func makeConfiguration() throws -> BridgeConfiguration {
        do {
            guard WireFormat.maxFrameLimits.contains(maxFrame) else {
                throw ValidationError("--max-frame must be in \(WireFormat.maxFrameLimits)")
            }
            let mtu = self.mtu ?? WireFormat.mtu(forMaxFrame: maxFrame)
            var configuration = BridgeConfiguration(
                device: connect.hasPrefix("unix:") ? BridgeConfiguration().device : try SocketAddress(parsing: connect),
                interfaceName: try InterfaceName(validating: ifname),
                mode: mode,
                address: try InterfaceAddress(parsing: address),
                mtu: mtu)
            configuration.acceptRouterAdvertisements = acceptRa
            configuration.allowForeignDevice = allowForeignDevice
            guard let hostMAC = MACAddress(mac), hostMAC.bytes[0] & 1 == 0 else {
                throw ValidationError("--mac \(mac) is not a unicast MAC address (e.g. 02:00:00:00:00:03)")
            }
            configuration.hostMAC = hostMAC
            if connect.hasPrefix("unix:") {
                let path = String(connect.dropFirst("unix:".count))
                guard !path.isEmpty, path.utf8.count <= UnixSocket.maxPathLength else {
                    throw ValidationError("--connect unix:PATH needs a path of 1...\(UnixSocket.maxPathLength) bytes")
                }
                configuration.unixSocket = path
            }
            configuration.maxFrame = maxFrame
            if let serial {
                configuration.serial = SerialLine(path: serial, settings: try serialSettings())
            }
            let mtus = BridgeConfiguration.mtuRange(maxFrame: maxFrame)
            guard mtus.contains(mtu) else {
                throw ValidationError("--mtu must be in \(mtus): a frame (MTU + 14) must fit --max-frame \(maxFrame) bytes")
            }
            return configuration
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `--baud`/`--frame`/`--flow` as termios can set them; UARTFrameFormat is the one parser of `8N1`.
    private func serialSettings() throws -> SerialPort.Settings {
        guard let format = UARTFrameFormat(frame) else {
            throw ValidationError("--frame \(frame): expected data bits 5-8, parity N/E/O/M/S and stop bits 1 or 2, e.g. 8N1")
        }
        guard format.dataBits <= 8, format.stopHalfBits != 3,
              let parity = SerialPort.Parity(letter: format.parity.rawValue) else {
            throw ValidationError("--frame \(frame): Linux serial ports take 5-8 data bits and 1 or 2 stop bits")
        }
        guard baud > 0, baud <= LineRate.maximumBaud else {
            throw ValidationError("--baud \(baud): must be 1...\(LineRate.maximumBaud)")
        }
        return SerialPort.Settings(baud: baud, dataBits: format.dataBits, parity: parity, stopBits: format.stopHalfBits / 2,
                                   rtscts: flow == .rtscts)
    }
}

/// `--flow`: what termios offers a tunnel (software XON/XOFF would eat 0x11/0x13 bytes of the frames).
enum SerialFlow: String, ExpressibleByArgument, CaseIterable {
    case none, rtscts
}

extension TunTapDevice.Mode: ExpressibleByArgument {}
