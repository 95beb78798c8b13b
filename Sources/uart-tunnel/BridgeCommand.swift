import ArgumentParser
import Logging
import UartTunnelBridge
import UartTunnelSystem

/// `uart-tunnel bridge`: the host end of the tunnel, the seed's `tools/serial_tun_bridge.py` done properly.
struct BridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Bridge the device's UART tunnel (TCP) to a Linux TUN/TAP interface.",
        discussion: """
            Connects to the device's TCP endpoint (QEMU's UART1 chardev server, or `uart-tunnel device`), opens \
            the interface through /dev/net/tun, gives it the address, MTU and (tap) MAC 02:00:00:00:00:01, and \
            moves length-prefixed Ethernet records both ways. If the device goes away the interface is kept and \
            the bridge reconnects. SIGINT/SIGTERM stop it cleanly and print the counters.

            Without root, create and configure the interface beforehand, e.g.:
              sudo ip tuntap add dev tun0 mode tap user $USER
              sudo ip link set dev tun0 address 02:00:00:00:00:01 mtu 1500 up
              sudo ip addr add 192.168.100.1/24 dev tun0
            """)

    @Option(help: "The device's TCP endpoint, HOST:PORT.")
    var connect = "127.0.0.1:5556"

    @Option(help: "Interface name (created when absent, which needs CAP_NET_ADMIN).")
    var ifname = "tun0"

    @Option(help: "tap: Ethernet frames unchanged. tun: IP packets; the bridge adds/strips the header and answers ARP.")
    var mode: TunTapDevice.Mode = .tap

    @Option(help: "The interface's IPv4 address and prefix.")
    var address = "192.168.100.1/24"

    @Option(help: "Interface MTU; frames to the device are at most MTU + 14 bytes.")
    var mtu = 1500

    @Flag(help: "Let IPv6 Router Advertisements from the device configure the interface (accept_ra, autoconf). Off by default: firmware under test must not change the host's routes.")
    var acceptRa = false

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
            var configuration = BridgeConfiguration(
                device: try SocketAddress(parsing: connect),
                interfaceName: try InterfaceName(validating: ifname),
                mode: mode,
                address: try InterfaceAddress(parsing: address),
                mtu: mtu)
            configuration.acceptRouterAdvertisements = acceptRa
            guard BridgeConfiguration.mtuRange.contains(mtu) else {
                throw ValidationError("--mtu must be in \(BridgeConfiguration.mtuRange): a frame (MTU + 14) must fit 1518 bytes")
            }
            return configuration
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

extension TunTapDevice.Mode: ExpressibleByArgument {}
