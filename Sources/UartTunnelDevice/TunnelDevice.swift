#if canImport(Glibc)
import Glibc
#endif
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
///
/// The status pages (`/`, `/api/status`) are the device's, whatever the driver: ``LwIPHTTPServer`` on the lwIP port
/// the driver names (``DeviceDriver/statusPort``) serves ``StatusPages`` of ``status``, which takes the link's
/// counters from the link and the frame counters from the driver.
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
    private var http: LwIPHTTPServer?

    /// The Swift reference driver.
    public static let swiftDriver: DriverFactory = { configuration, logger, send in
        SwiftNetifDriver(configuration: configuration, logger: logger, send: send)
    }

    /// Binds the UART's TCP endpoint, then creates the driver (whose first output may come at once).
    public init(configuration: DeviceConfiguration, logger: Logger = Logger(label: "uart_tunnel"),
                driver makeDriver: DriverFactory = TunnelDevice.swiftDriver) throws {
        self.configuration = configuration
        self.logger = logger
        let link = configuration.pty
            ? try TCPServerLink.pseudoTerminal(symlink: configuration.ptySymlink, logger: logger)
            : try configuration.unixSocket.map { path throws(SystemError) in
                try TCPServerLink(source: UnixListenSource(path: path), logger: logger)
            } ?? DeviceRestart.link(listenOn: configuration.listen, logger: logger)  // kept across esp_restart
        self.link = link
        let pipeline: LinkPipeline
        do {
            pipeline = try LinkPipeline(configuration: configuration.link, frameTimeout: configuration.frameTimeout,
                                        logger: logger, sendToPeer: link.send(_:continuing:))
        } catch {
            link.stop()
            throw error
        }
        self.pipeline = pipeline
        driver = try makeDriver(configuration, logger, pipeline.transmit)
    }

    /// The Swift driver's netif, for tests and tools that look inside lwIP.
    public var netif: TunnelNetif! { (driver as? SwiftNetifDriver)?.netif }

    /// Starts the driver, its status pages and the link; returns once all run.
    /// `peerFirst` (`device --wait-for-peer`): the link starts, and takes the peer already waiting, before the
    /// driver, so what the driver sends as it starts (a firmware's link-up ARP) reaches that peer instead of
    /// being counted "without peer". Bytes the peer sends meanwhile reach a driver not yet started, as bytes
    /// reach a chip's UART before its driver is installed.
    public func start(peerFirst: Bool = false) throws {
        if peerFirst {
            link.start(delivering: pipeline.receiver(delivering: driver))
            let deadline = ContinuousClock.now + .seconds(5)
            while !link.hasPeer && ContinuousClock.now < deadline { Glibc.usleep(1_000) }
        }
        try driver.start()
        if let port = driver.statusPort {
            do {
                http = try LwIPHTTPServer(port: port, logger: logger) { [weak self] path in
                    guard let self else { return .notFound }
                    return StatusPages.response(for: path, status: self.status)
                }
                logger.info("status pages: http://\(driver.addresses.address):\(port)/ and /api/status")
            } catch {
                // A firmware may serve that port itself; the device runs on without the toolkit's pages.
                logger.warning("status pages not served on lwIP port \(port): \(error)")
            }
        }
        if !peerFirst { link.start(delivering: pipeline.receiver(delivering: driver)) }
        let tunnel = configuration.tunnel
        logger.info("UART1 tunnel \(configuration.pty ? "on pty" : "listening on") \(link.source.endpoint); driver \(driver.name); \(tunnel.address) mask \(tunnel.netmask) gw \(tunnel.gateway) MAC \(tunnel.deviceMAC)")
        if !configuration.link.isPassthrough {
            logger.info("UART1 line: \(configuration.link.description)")
        }
        let maxFrame = configuration.tunnel.maxFrame
        if let rate = configuration.link.rate,
           let longest = rate.longestFrame(within: configuration.frameTimeout, maxFrame: maxFrame) {
            let needed = rate.nanoseconds(forBytes: Int64(maxFrame)) / 1_000_000 + 1
            logger.warning("UART1 line: at \(rate) only frames up to \(longest) bytes cross within the \(configuration.frameTimeout) frame timeout; longer ones will be dropped as incomplete (--frame-timeout-ms \(needed) lets a \(maxFrame)-byte frame through)")
        }
    }

    public func stop() {
        http?.stop()
        link.stop()
        (link.source as? UnixListenSource)?.removeFile()  // likewise a `--listen unix:` socket file
        // The process may exit before the link's thread closes its pty: the `--pty-link` goes now.
        if let symlink = configuration.ptySymlink {
            PseudoTerminal.removeLink(symlink, ifPointingAt: link.source.endpoint)
        }
        driver.stop()
        pipeline.stop()
    }

    /// What `/api/status` serves and the final log line prints, for every driver: link counters from the link.
    public var status: DeviceStatus {
        let transport = link.counters
        var status = DeviceStatus(configuration: driver.addresses, driver: driver.name, uptime: .now - started,
                                  counters: driver.counters, link: transport, peerConnected: link.hasPeer,
                                  line: pipeline.status(transport: transport))
        status.stalledPeer = link.stalledPeer
        return status
    }
}
