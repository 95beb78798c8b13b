import ArgumentParser
import Foundation
import Logging
import UartTunnelDevice
import UartTunnelSystem
import UartTunnelWire

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Run the ESP32 side: real lwIP behind the UART tunnel netif, on a TCP port like QEMU's chardev.",
        discussion: """
            Listens like QEMU's `-serial tcp::5556,server` for UART1 (one peer at a time; a new peer may connect \
            after the old one leaves). Behind it, Debian's liblwip runs as 192.168.100.2/24 (gateway \
            192.168.100.1, MAC 02:00:00:00:00:02, static ARP entry for the gateway), answers ARP and ping and \
            serves HTTP on port 80 through lwIP: GET / and GET /api/status (JSON counters).
            Connect a bridge (`uart-tunnel bridge`, or the seed's serial_tun_bridge.py) and ping/curl 192.168.100.2.
            """
    )

    @Option(help: "Address for the UART's TCP endpoint (HOST:PORT). Loopback by default; nothing else is safe to expose.")
    var listen: String = "127.0.0.1:5556"

    @Option(help: "Device IPv4 address.")
    var ip: String = IPv4Address.device.description

    @Option(help: "Netmask.")
    var netmask: String = IPv4Address.netmask.description

    @Option(help: "Gateway (the host's end of the tunnel); it gets a static ARP entry.")
    var gateway: String = IPv4Address.gateway.description

    @Option(help: "Device MAC.")
    var mac: String = MACAddress.device.description

    @Option(help: "Gateway MAC for the static ARP entry (the TAP interface's MAC).")
    var hostMAC: String = MACAddress.host.description

    @Option(help: "Drop a partial frame whose remaining bytes do not arrive within this many milliseconds.")
    var frameTimeoutMs: Int = 1000

    @Option(help: "TCP port of the device's web server (on lwIP).")
    var httpPort: UInt16 = 80

    @OptionGroup var log: LogLevelOption

    @OptionGroup(title: "UART line (pacing, faults, capture)") var link: LinkOptions

    @OptionGroup(title: "Driver (what runs behind the UART)") var driver: DriverOptions

    /// Every value is checked here, before `run()`: a mistake in the command line gets `device`'s usage, while an
    /// error while running (a port in use, a capture path that cannot be opened) is one line without it.
    func validate() throws {
        guard frameTimeoutMs > 0 else { throw ValidationError("--frame-timeout-ms must be positive") }
        _ = try makeConfiguration()
    }

    private func makeConfiguration() throws -> DeviceConfiguration {
        var configuration = DeviceConfiguration()
        do {
            configuration.listen = try SocketAddress(parsing: listen)
        } catch {
            throw ValidationError("--listen \(listen): \(error)")
        }
        configuration.tunnel.address = try parse(ip, "--ip", IPv4Address.init)
        configuration.tunnel.netmask = try parse(netmask, "--netmask", IPv4Address.init)
        configuration.tunnel.gateway = try parse(gateway, "--gateway", IPv4Address.init)
        configuration.tunnel.deviceMAC = try parse(mac, "--mac", MACAddress.init)
        configuration.tunnel.hostMAC = try parse(hostMAC, "--host-mac", MACAddress.init)
        configuration.frameTimeout = .milliseconds(frameTimeoutMs)
        configuration.httpPort = httpPort
        configuration.link = try link.makeConfiguration()
        return configuration
    }

    func run() throws {
        log.bootstrap()
        let configuration = try makeConfiguration()

        let logger = Logger(label: "uart_tunnel")
        Signals.ignorePipe()
        let device: TunnelDevice
        do {
            device = try TunnelDevice(configuration: configuration, logger: logger, driver: driver.factory())
            try device.start()
        } catch {
            logger.error("cannot start the device: \(error)")
            throw ExitCode.failure
        }
        Signals.onTermination { signal in
            device.stop()
            logger.info("stopped by signal \(signal): \(device.status.summary)")
            Foundation.exit(0)
        }
        while true { sleep(3600) }
    }

    private func parse<T>(_ text: String, _ flag: String, _ make: (String) -> T?) throws -> T {
        guard let value = make(text) else { throw ValidationError("\(flag) \(text) is not valid") }
        return value
    }
}
