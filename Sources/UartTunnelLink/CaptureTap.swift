import Foundation
import Logging
import UartTunnelSystem
import UartTunnelWire

/// What a capture wrote, for `/api/status`.
public struct CaptureStatus: Sendable, Codable, Equatable {
    public var raw: String?
    public var rawBytes = 0
    public var packets: String?
    public var packetFormat: String?
    public var frames = 0
    public var badLengths = 0
    public var partialFrames = 0
    /// `--tap`: where the live pcapng stream listens, and its clients now.
    public var tap: String?
    public var tapClients = 0
    /// Tap clients disconnected for falling too far behind.
    public var tapClientsDropped = 0
}

/// Records the bytes crossing the device's UART: the raw capture (pcapng with every byte, both directions,
/// timestamped, beside the decoded frames) and the packet capture (the decoded frames alone). Frames are decoded
/// per direction by a ``StreamAligner``. Callers on any thread; one lock, under which timestamps are made
/// non-decreasing (two threads may stamp a moment apart and take the lock in the other order), as readers check.
///
/// Where it taps: RX after faults and pacing, as the driver receives the bytes; TX as the driver writes them
/// (before TX faults), timestamped at the write — what a logic analyser on the ESP32's RX and TX pins would see
/// for RX, and what the firmware's own `TX:` log lines show for TX.
public final class CaptureTap: @unchecked Sendable {
    private let lock = NSLock()
    private var raw: PacketCaptureWriter?
    /// `--tap`: the raw capture's blocks, live to each client.
    private var live: PacketCaptureWriter?
    private var tapServer: CaptureTapServer?
    private var packets: PacketCaptureWriter?
    private var aligners: [StreamAligner]
    private let startWall = MonotonicTime.wallClockNow()
    private let startInstant = ContinuousClock.now
    private var closed = false
    private var lastTime: Int64 = 0
    private let rawPath: String?
    private let packetPath: String?

    public init(rawPath: String?, packetPath: String?, packetFormat: PacketFileFormat, rate: LineRate?,
                frameTimeout: Duration, tapAddress: SocketAddress? = nil,
                logger: Logger = Logger(label: "uart-link"), maxFrame: Int = WireFormat.maxFrameLength) throws {
        self.rawPath = rawPath
        self.packetPath = packetPath
        aligners = [StreamAligner(direction: .rx, frameTimeout: frameTimeout, maxFrame: maxFrame),
                    StreamAligner(direction: .tx, frameTimeout: frameTimeout, maxFrame: maxFrame)]
        let header = RawCaptureFormat.Header(
            baud: rate?.baud ?? 0, startNanoseconds: startWall, frameFormat: (rate?.format ?? .standard).description,
            frameTimeoutMilliseconds: Int(MonotonicTime.nanoseconds(frameTimeout) / 1_000_000))
        if let rawPath {
            do {
                raw = try PacketCaptureWriter(path: rawPath, format: .pcapng, uartBytes: header)
            } catch let error as SystemError {
                throw CaptureError(description: "--raw \(error)")
            }
        }
        if let packetPath {
            do {
                packets = try PacketCaptureWriter(path: packetPath, format: packetFormat)
            } catch let error as SystemError {
                raw?.finish(summary: [], received: 0, dropped: 0)
                throw CaptureError(description: "--capture \(error)")
            }
        }
        if let tapAddress {
            do {
                let server = try CaptureTapServer(address: tapAddress, logger: logger)
                live = PacketCaptureWriter(path: "tap \(server.address)", format: .pcapng, uartBytes: header, output: server)
                server.start(greeting: live!.headerBlocks)
                tapServer = server
            } catch {
                raw?.finish(summary: [], received: 0, dropped: 0)
                packets?.finish(summary: [], received: 0, dropped: 0)
                throw CaptureError(description: "--tap \(error)")
            }
        }
    }

    /// ns since the Unix epoch for an instant of this process.
    public func timestamp(_ instant: ContinuousClock.Instant) -> Int64 {
        startWall + MonotonicTime.nanoseconds(instant - startInstant)
    }

    /// The stamp for `instant`, never before the last one written. Call under the lock.
    private func stamp(_ instant: ContinuousClock.Instant) -> Int64 {
        lastTime = max(lastTime, timestamp(instant))
        return lastTime
    }

    public func record(_ direction: LinkDirection, _ bytes: UnsafeRawBufferPointer, at instant: ContinuousClock.Instant) {
        lock.withLock {
            guard !closed else { return }
            let time = stamp(instant)
            for writer in [raw, live].compactMap({ $0 }) { writer.uartBytes(direction: direction, timestamp: time, bytes: bytes) }
            let index = Int(direction.rawValue)
            aligners[index].feed(bytes, at: instant) { write($0, direction, time) }
        }
    }

    public func note(_ text: String, at instant: ContinuousClock.Instant) {
        lock.withLock {
            guard !closed else { return }
            let time = stamp(instant)
            for writer in [raw, live].compactMap({ $0 }) { writer.note(text, timestamp: time) }
        }
    }

    /// No bytes for a while: lets a partial frame time out in the capture as it does in the device.
    public func idle(at instant: ContinuousClock.Instant) {
        lock.withLock {
            guard !closed else { return }
            let time = stamp(instant)
            for index in aligners.indices {
                let direction = aligners[index].direction
                aligners[index].idle(at: instant) { write($0, direction, time) }
            }
        }
    }

    /// The peer left: both directions' streams start over.
    public func disconnected(reason: String, at instant: ContinuousClock.Instant) {
        note("disconnected: \(reason)", at: instant)
        lock.withLock {
            guard !closed else { return }
            let time = stamp(instant)
            for index in aligners.indices {
                let direction = aligners[index].direction
                aligners[index].reset { write($0, direction, time) }
            }
        }
    }

    /// Flushes and closes both files (idempotent).
    public func close() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            let time = stamp(.now)
            var summary: [String] = []
            for index in aligners.indices {
                let direction = aligners[index].direction
                aligners[index].finish { write($0, direction, time) }
                let r = aligners[index].report
                summary.append("\(direction): \(r.bytes) bytes, \(r.frames) frames, \(r.badLengths.count) invalid lengths, "
                    + "\(r.resyncPoints.count) resync points, \(r.partialFrames.count) partial frames")
                summary += aligners[index].unattachedNotes.map { "\(direction) (no later frame): \($0)" }
            }
            let dropped = aligners.reduce(0) { $0 + $1.report.badLengths.count + $1.report.partialFrames.count }
            let received = aligners.reduce(0) { $0 + $1.report.frames }
            for writer in [raw, live, packets].compactMap({ $0 }) {
                writer.finish(summary: summary, received: received, dropped: dropped)
            }
        }
    }

    public var status: CaptureStatus {
        lock.withLock {
            var status = CaptureStatus()
            status.raw = rawPath
            status.rawBytes = raw?.bytesWritten ?? 0
            status.packets = packetPath
            status.packetFormat = packets?.format.rawValue
            status.frames = aligners.reduce(0) { $0 + $1.report.frames }
            status.badLengths = aligners.reduce(0) { $0 + $1.report.badLengths.count }
            status.partialFrames = aligners.reduce(0) { $0 + $1.report.partialFrames.count }
            status.tap = tapServer?.address.description
            status.tapClients = tapServer?.clientCount ?? 0
            status.tapClientsDropped = tapServer?.droppedCount ?? 0
            return status
        }
    }

    public var reports: [AlignmentReport] { lock.withLock { aligners.map(\.report) } }

    /// Where `--tap` listens (the port chosen when it asked for 0).
    public var tapAddress: SocketAddress? { tapServer?.address }

    /// A decoded frame (or partial frame) to both files.
    private func write(_ output: StreamAligner.Output, _ direction: LinkDirection, _ time: Int64) {
        for writer in [raw, live, packets].compactMap({ $0 }) {
            writer.write(output, direction: direction, timestamp: time)
        }
    }
}

/// Taps the RX side of a capture in front of the driver.
final class CapturingReceiver: ByteStreamReceiver, @unchecked Sendable {
    let downstream: ByteStreamReceiver
    let tap: CaptureTap

    init(downstream: ByteStreamReceiver, tap: CaptureTap) {
        self.downstream = downstream
        self.tap = tap
    }

    func linkConnected(peer: String) {
        tap.note("connected \(peer)", at: .now)
        downstream.linkConnected(peer: peer)
    }

    func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {
        tap.record(.rx, bytes, at: time)
        downstream.linkReceived(bytes, at: time)
    }

    func linkIdle(at time: ContinuousClock.Instant) {
        tap.idle(at: time)
        downstream.linkIdle(at: time)
    }

    func linkDisconnected(reason: String) {
        tap.disconnected(reason: reason, at: .now)
        downstream.linkDisconnected(reason: reason)
    }

    var nextDeadline: ContinuousClock.Instant? { downstream.nextDeadline }
}
