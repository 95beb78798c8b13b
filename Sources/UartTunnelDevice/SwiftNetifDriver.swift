import Logging
import Synchronization
import UartTunnelLink
import UartTunnelLog
import UartTunnelLwIP
import UartTunnelWire

/// The Swift reference driver: the seed's RX task as a streaming decoder in front of `TunnelNetif`. Its web server
/// (port `httpPort`) is the device's status pages, which `TunnelDevice` serves for every driver.
///
/// ```
///  bytes ──▶ RecordDecoder ──frame──▶ TunnelNetif.input ─▶ lwIP ─▶ linkoutput ──record──▶ send
/// ```
public final class SwiftNetifDriver: DeviceDriver, @unchecked Sendable {
    public let name = "swift"
    public private(set) var netif: TunnelNetif!
    private let configuration: DeviceConfiguration
    private let decoder: Mutex<RecordDecoder>
    private let logger: Logger
    private struct Warnings {
        var badLength = LogRateLimiter()
        var timeout = LogRateLimiter()
    }
    private let warnings = Mutex(Warnings())

    /// Adds the netif to lwIP at once: link-up sends a gratuitous ARP through `send` on this thread.
    public init(configuration: DeviceConfiguration, logger: Logger, send: @escaping DeviceOutput) {
        self.configuration = configuration
        self.logger = logger
        decoder = Mutex(RecordDecoder(timeout: configuration.frameTimeout, maxFrame: configuration.tunnel.maxFrame))
        let pool = LwIPStack.start()
        if !pool.isConsistent {
            logger.warning("\(pool)")
        }
        let log = logger
        netif = TunnelNetif(configuration: configuration.tunnel) { record in
            if log.logLevel <= .trace {
                log.trace("TX: \(record.count - 2) bytes \(describe(frame: Array(record.dropFirst(2))))")
            }
            send(record)
        }
    }

    /// lwIP already runs (`init` started it and added the netif).
    public func start() throws {}

    /// Takes the netif out of lwIP, so a later device in this process starts clean.
    public func stop() {
        netif.remove()
    }

    public var addresses: TunnelConfiguration { configuration.tunnel }

    /// The device's web server: port 80 unless `--http-port` says otherwise (0: none).
    public var statusPort: UInt16? { configuration.httpPort == 0 ? nil : configuration.httpPort }

    public var counters: DriverCounters {
        let decoded = decoder.withLock { $0.counters }
        let stack = netif.counters
        var counters = DriverCounters()
        counters.rxFrames = decoded.frames
        counters.rxBytes = decoded.frameBytes
        counters.badLengths = decoded.badLengths
        counters.timeouts = decoded.timeouts
        counters.discardedOnDisconnect = decoded.discarded
        counters.streamBytes = decoded.bytesIn
        counters.droppedByStack = stack.rxDropped
        counters.txFrames = stack.txFrames
        counters.txBytes = stack.txBytes
        counters.gatewayARPAnsweredLocally = stack.gatewayARPAnswered
        return counters
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
        // Frames go to lwIP outside the decoder lock: the input path may emit TX records synchronously.
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

    /// The firmware's warnings, in its words where it has them; at most 10 a second each (junk on the line would
    /// otherwise write a line per two bytes), the counters stay exact.
    private func report(_ event: DecoderEvent) {
        switch event {
        case .frame:
            break
        case .badLength(let length, let offset):
            if let line = warnings.withLock({ $0.badLength.admit(
                "Invalid frame length: \(length) (stream offset \(offset)); skipped 2 bytes") }) {
                logger.warning("\(line)")
            }
        case .timeout(let expected, let received, let offset):
            if let line = warnings.withLock({ $0.timeout.admit(
                "Incomplete frame dropped after \(configuration.frameTimeout): \(received) of \(expected) bytes (stream offset \(offset))") }) {
                logger.warning("\(line)")
            }
        case .discarded(let expected, let received, let offset):
            logger.warning("Peer left mid-frame: discarded \(received) of \(expected) bytes (stream offset \(offset))")
        }
    }
}
