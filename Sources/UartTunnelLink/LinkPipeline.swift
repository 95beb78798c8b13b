import Logging
import UartTunnelSystem

/// The device's UART between the TCP transport and the driver, composed from ``LinkConfiguration``:
///
/// ```
///  RX:  TCPServerLink ─▶ LineStage(rx: faults → pacing) ─▶ CapturingReceiver ─▶ driver
///  TX:  driver send ─▶ CaptureTap(tx) ─▶ LineStage(tx: faults → pacing) ─▶ TCPServerLink.send
/// ```
///
/// The two directions are independent (full duplex): each has its own worker, pacer and fault streams. Parts
/// that are not configured are left out, so the default pipeline is the transport itself.
public final class LinkPipeline: @unchecked Sendable {
    public let configuration: LinkConfiguration
    private let frameTimeout: Duration
    /// Writes to the transport: see ``PeerSend``.
    private let sendToPeer: PeerSend
    private let tap: CaptureTap?
    private let txStage: LineStage?
    private var rxStage: LineStage?
    private let logger: Logger

    /// Opens the capture files now, so a bad path fails before anything starts; the TX side works at once (a
    /// driver may transmit while it is being created).
    public init(configuration: LinkConfiguration, frameTimeout: Duration = .seconds(1),
                logger: Logger = Logger(label: "uart-link"), sendToPeer: @escaping PeerSend) throws {
        self.configuration = configuration
        self.frameTimeout = frameTimeout
        self.sendToPeer = sendToPeer
        self.logger = logger
        if configuration.rawCapturePath != nil || configuration.packetCapturePath != nil || configuration.tapAddress != nil {
            tap = try CaptureTap(rawPath: configuration.rawCapturePath, packetPath: configuration.packetCapturePath,
                                 packetFormat: configuration.packetFormat, rate: configuration.rate,
                                 frameTimeout: frameTimeout, tapAddress: configuration.tapAddress, logger: logger,
                                 maxFrame: configuration.maxFrame)
        } else {
            tap = nil
        }
        let faults = configuration.faults
        if configuration.rate != nil || faults.tx.isActive {
            txStage = LineStage(
                name: "tx", rate: configuration.rate,
                faults: faults.tx.isActive ? FaultInjector(spec: faults.tx, seed: faults.seed, direction: "tx",
                                                           frameTimeout: frameTimeout,
                                                           maxFrame: configuration.maxFrame) : nil,
                capacity: Self.capacity(base: configuration.txBufferBytes, rate: configuration.rate, faults: faults.tx),
                deliver: RecordRouting(send: sendToPeer).deliver)
        } else {
            txStage = nil
        }
    }

    /// The driver's `send`: one record (or any bytes) onto the UART's TX.
    public func transmit(_ bytes: [UInt8]) {
        guard tap != nil || txStage != nil else {
            _ = sendToPeer(bytes, nil)
            return
        }
        bytes.withUnsafeBytes { raw in
            tap?.record(.tx, raw, at: .now)
            if let txStage {
                txStage.submit(raw)
            } else {
                _ = sendToPeer(bytes, nil)
            }
        }
    }

    /// What the transport should deliver to, in front of `downstream` (the driver). Call once.
    public func receiver(delivering downstream: ByteStreamReceiver) -> ByteStreamReceiver {
        let inner: ByteStreamReceiver = tap.map { CapturingReceiver(downstream: downstream, tap: $0) } ?? downstream
        let faults = configuration.faults
        guard configuration.rate != nil || faults.rx.isActive else { return inner }
        let stage = LineStage(
            name: "rx", rate: configuration.rate,
            faults: faults.rx.isActive ? FaultInjector(spec: faults.rx, seed: faults.seed, direction: "rx",
                                                       frameTimeout: frameTimeout,
                                                       maxFrame: configuration.maxFrame) : nil,
            capacity: Self.capacity(base: configuration.rxBacklogBytes, rate: configuration.rate, faults: faults.rx),
            idleDeadline: { inner.nextDeadline },
            idle: { inner.linkIdle(at: $0) },
            deliver: { bytes, _ in inner.linkReceived(bytes, at: .now) })
        rxStage = stage
        return LineReceiver(stage: stage, inner: inner)
    }

    /// Lets queued bytes finish crossing the line (up to `timeout`), then stops the workers and closes captures.
    public func stop(drainingFor timeout: Duration = .zero) {
        if timeout > .zero {
            _ = txStage?.drain(timeout: timeout)
            _ = rxStage?.drain(timeout: timeout)
        }
        txStage?.stop()
        rxStage?.stop()
        tap?.close()
    }

    /// Waits until both directions have nothing queued (tests); false on timeout.
    public func drain(timeout: Duration) -> Bool {
        (txStage?.drain(timeout: timeout) ?? true) && (rxStage?.drain(timeout: timeout) ?? true)
    }

    /// The capture's per-direction alignment so far (nil without a packet capture).
    public var captureReports: [AlignmentReport]? {
        configuration.packetCapturePath == nil ? nil : tap?.reports
    }

    public func status(transport: LinkCounters) -> LinkStatus {
        var status = LinkStatus()
        if let rate = configuration.rate {
            status.mode = "paced \(rate)"
            status.baud = rate.baud
            status.frame = rate.format.description
            status.bytesPerSecond = rate.bytesPerSecond
        }
        status.bytesIn = transport.bytesIn
        status.bytesOut = transport.bytesOut
        status.rx = Self.direction(rxStage, paced: configuration.rate != nil)
        status.tx = Self.direction(txStage, paced: configuration.rate != nil)
        if rxStage == nil {
            status.rx.bytesIn = transport.bytesIn
            status.rx.bytesOut = transport.bytesIn
        }
        if txStage == nil {
            status.tx.bytesIn = transport.bytesOut
            status.tx.bytesOut = transport.bytesOut
        }
        if configuration.faults.isActive {
            status.faultSpec = configuration.faults.description
            status.seed = configuration.faults.seed
        }
        status.capture = tap?.status
        return status
    }

    private static func direction(_ stage: LineStage?, paced: Bool) -> LinkStatus.Direction {
        var direction = LinkStatus.Direction()
        guard let stage else { return direction }
        let counters = stage.snapshot
        direction.bytesIn = counters.bytesIn
        direction.bytesOut = counters.bytesOut
        direction.paced = paced
        direction.maxBacklog = counters.maxBacklog
        direction.producerWaits = counters.blockedProducers
        direction.faults = stage.faultCounters
        return direction
    }

    /// Room for `base` bytes plus whatever a delay holds back at the line rate; unpaced, a generous bound.
    static func capacity(base: Int, rate: LineRate?, faults: FaultSpec) -> Int {
        guard let rate else { return 4 << 20 }
        let held = Double(MonotonicTime.nanoseconds(faults.delay + faults.jitter)) / 1e9 * rate.bytesPerSecond
        return base + Int(held)
    }
}

/// The transport's receiver when the RX line has a stage: bytes and stream events go through the stage's queue,
/// so the driver sees a disconnect only after the bytes that preceded it have crossed the line.
final class LineReceiver: ByteStreamReceiver, @unchecked Sendable {
    let stage: LineStage
    let inner: ByteStreamReceiver

    init(stage: LineStage, inner: ByteStreamReceiver) {
        self.stage = stage
        self.inner = inner
    }

    func linkConnected(peer: String) {
        let inner = inner
        stage.submitEvent(resetsStream: true) { inner.linkConnected(peer: peer) }
    }

    func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {
        stage.submit(bytes)
    }

    /// The stage's worker runs the inner receiver's timeouts itself.
    func linkIdle(at time: ContinuousClock.Instant) {}

    func linkDisconnected(reason: String) {
        let inner = inner
        stage.submitEvent(resetsStream: true) { inner.linkDisconnected(reason: reason) }
    }

    var nextDeadline: ContinuousClock.Instant? { nil }
}

extension TCPServerLink {
    /// A link that logs under `uart-link` (tests and tools that do not configure logging).
    public convenience init(listenOn requested: SocketAddress) throws(SystemError) {
        try self.init(listenOn: requested, logger: Logger(label: "uart-link"))
    }
}
