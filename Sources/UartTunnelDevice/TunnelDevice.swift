import Logging
import UartTunnelLink
import UartTunnelLwIP
import UartTunnelSystem
import UartTunnelWire

/// `uart-tunnel device`: what QEMU's ESP32 exposes on its UART1 chardev, with the real lwIP behind it.
///
/// ```
///  peer (bridge) ◀──TCP──▶ TCPServerLink ◀──▶ LinkPipeline ◀──bytes──▶ DeviceDriver (Swift netif, or firmware C)
///                                          (pacing, faults, capture: see ``LinkConfiguration``)
/// ```
public final class TunnelDevice: @unchecked Sendable {
    public typealias DriverFactory = @Sendable (_ configuration: DeviceConfiguration, _ logger: Logger,
                                      _ send: @escaping DeviceOutput) throws -> DeviceDriver

    public let configuration: DeviceConfiguration
    public let link: TCPServerLink
    /// The UART between `link` and `driver` (a pass-through unless the configuration asks for more).
    public let pipeline: LinkPipeline
    public let driver: DeviceDriver
    private let logger: Logger
    private let started = ContinuousClock.now

    /// The Swift reference driver.
    public static let swiftDriver: DriverFactory = { configuration, logger, send in
        SwiftNetifDriver(configuration: configuration, logger: logger, send: send)
    }

    /// Binds the UART's TCP endpoint, then creates the driver (whose first output may come at once).
    public init(configuration: DeviceConfiguration, logger: Logger = Logger(label: "uart_tunnel"),
                driver makeDriver: DriverFactory = TunnelDevice.swiftDriver) throws {
        self.configuration = configuration
        self.logger = logger
        let link = try TCPServerLink(listenOn: configuration.listen, logger: logger)
        self.link = link
        let pipeline: LinkPipeline
        do {
            pipeline = try LinkPipeline(configuration: configuration.link, frameTimeout: configuration.frameTimeout,
                                        logger: logger) { bytes, continuing in link.send(bytes, continuing: continuing) }
        } catch {
            link.stop()
            throw error
        }
        self.pipeline = pipeline
        driver = try makeDriver(configuration, logger) { bytes in pipeline.transmit(bytes) }
    }

    /// The Swift driver's netif, for tests and tools that look inside lwIP.
    public var netif: TunnelNetif! { (driver as? SwiftNetifDriver)?.netif }

    /// Starts the link and the driver; returns once both are running.
    public func start() throws {
        if let swift = driver as? SwiftNetifDriver {
            swift.statusProvider = { [unowned self] in self.status }
        }
        try driver.start()
        link.start(delivering: pipeline.receiver(delivering: driver))
        let tunnel = configuration.tunnel
        logger.info("UART1 tunnel listening on \(link.address); driver \(driver.name); \(tunnel.address) mask \(tunnel.netmask) gw \(tunnel.gateway) MAC \(tunnel.deviceMAC)")
        if !configuration.link.isPassthrough {
            logger.info("UART1 line: \(configuration.link.description)")
        }
        if let rate = configuration.link.rate, let longest = rate.longestFrame(within: configuration.frameTimeout) {
            let needed = rate.nanoseconds(forBytes: Int64(WireFormat.maxFrameLength)) / 1_000_000 + 1
            logger.warning("UART1 line: at \(rate) only frames up to \(longest) bytes cross within the \(configuration.frameTimeout) frame timeout; longer ones will be dropped as incomplete (--frame-timeout-ms \(needed) lets a \(WireFormat.maxFrameLength)-byte frame through)")
        }
    }

    public func stop() {
        link.stop()
        driver.stop()
        pipeline.stop()
    }

    public var status: DeviceStatus {
        DeviceStatus(configuration: configuration.tunnel, driver: driver.name, uptime: .now - started,
                     counters: driver.counters, link: link.counters, peerConnected: link.hasPeer,
                     line: pipeline.status(transport: link.counters))
    }
}
