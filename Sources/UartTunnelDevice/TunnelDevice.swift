import Logging
import Synchronization
import UartTunnelLink
import UartTunnelLwIP
import UartTunnelSystem
import UartTunnelWire

/// `uart-tunnel device`: what QEMU's ESP32 exposes on its UART1 chardev, with the real lwIP behind it.
///
/// ```
///  peer (bridge) ──TCP──▶ TCPServerLink ──bytes──▶ RecordDecoder ──frame──▶ TunnelNetif.input ─▶ lwIP
///  peer (bridge) ◀─TCP─── TCPServerLink ◀──record── TunnelNetif linkoutput ◀────────────────────── lwIP
/// ```
public final class TunnelDevice: @unchecked Sendable, ByteStreamReceiver {
    public let configuration: DeviceConfiguration
    public let link: TCPServerLink
    public private(set) var netif: TunnelNetif!
    private var http: LwIPHTTPServer?
    private let decoder: Mutex<RecordDecoder>
    private let logger: Logger
    private let started = ContinuousClock.now

    public init(configuration: DeviceConfiguration, logger: Logger = Logger(label: "uart_tunnel")) throws {
        self.configuration = configuration
        self.logger = logger
        decoder = Mutex(RecordDecoder(timeout: configuration.frameTimeout))
        link = try TCPServerLink(listenOn: configuration.listen, logger: logger)
        let pool = LwIPStack.start()
        if !pool.isConsistent {
            logger.warning("\(pool)")
        }
        // The netif's gratuitous ARP at link-up goes through `link.send` already: the link exists by now.
        let link = self.link
        let log = logger
        netif = TunnelNetif(configuration: configuration.tunnel) { record in
            if log.logLevel <= .trace {
                log.trace("TX: \(record.count - 2) bytes \(describe(frame: Array(record.dropFirst(2))))")
            }
            link.send(record)
        }
    }

    /// Starts the link and the web server; returns once both are listening.
    public func start() throws {
        http = try LwIPHTTPServer(port: configuration.httpPort, logger: logger) { [weak self] path in
            guard let self else { return .notFound }
            return StatusPages.response(for: path, status: self.status)
        }
        link.start(delivering: self)
        let tunnel = configuration.tunnel
        logger.info("UART1 tunnel listening on \(link.address); lwIP \(tunnel.address) mask \(tunnel.netmask) gw \(tunnel.gateway) MAC \(tunnel.deviceMAC), HTTP on port \(configuration.httpPort)")
    }

    public func stop() {
        link.stop()
        http?.stop()
    }

    public var status: DeviceStatus {
        DeviceStatus(configuration: configuration.tunnel, uptime: .now - started,
                     decoder: decoder.withLock { $0.counters }, netif: netif.counters,
                     link: link.counters, peerConnected: link.hasPeer)
    }

    // MARK: ByteStreamReceiver — called on the link's reader thread.

    public func linkConnected(peer: String) {}

    public func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {
        var frames: [[UInt8]] = []
        decoder.withLock { decoder in
            decoder.feed(bytes, now: time) { event in
                if case .frame(let frame) = event { frames.append(frame) } else { report(event) }
            }
        }
        // Hand frames to lwIP outside the decoder lock: the input path may emit TX records synchronously.
        for frame in frames {
            if logger.logLevel <= .trace {
                logger.trace("RX: \(frame.count) bytes \(describe(frame: frame))")
            }
            netif.input(frame: frame)
        }
    }

    public func linkIdle(at time: ContinuousClock.Instant) {
        decoder.withLock { $0.expire(now: time, report) }
    }

    public func linkDisconnected(reason: String) {
        decoder.withLock { $0.reset(report) }
    }

    public var nextDeadline: ContinuousClock.Instant? { decoder.withLock { $0.deadline } }

    private func report(_ event: DecoderEvent) {
        switch event {
        case .frame:
            break
        case .badLength(let length, let offset):
            logger.warning("Invalid frame length: \(length) (stream offset \(offset)); skipped 2 bytes")
        case .timeout(let expected, let received, let offset):
            logger.warning("Incomplete frame dropped after \(configuration.frameTimeout): \(received) of \(expected) bytes (stream offset \(offset))")
        case .discarded(let expected, let received, let offset):
            logger.warning("Peer left mid-frame: discarded \(received) of \(expected) bytes (stream offset \(offset))")
        }
    }
}
