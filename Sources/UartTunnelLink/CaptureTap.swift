import Foundation
import UartTunnelSystem

/// What a capture wrote, for `/api/status`.
public struct CaptureStatus: Sendable, Codable, Equatable {
    public var raw: String?
    public var rawBytes = 0
    public var packets: String?
    public var packetFormat: String?
    public var frames = 0
    public var badLengths = 0
    public var partialFrames = 0
}

/// Records the bytes crossing the device's UART: the raw capture (every byte, both directions, timestamped) and
/// the packet capture (frames decoded per direction by a ``StreamAligner``). Callers on any thread; one lock.
///
/// Where it taps: RX after faults and pacing, as the driver receives the bytes; TX as the driver writes them
/// (before TX faults), timestamped at the write — what a logic analyser on the ESP32's RX and TX pins would see
/// for RX, and what the firmware's own `TX:` log lines show for TX.
public final class CaptureTap: @unchecked Sendable {
    private let lock = NSLock()
    private var raw: RawCaptureWriter?
    private var packets: PacketCaptureWriter?
    private var aligners: [StreamAligner]
    private let startWall = MonotonicTime.wallClockNow()
    private let startInstant = ContinuousClock.now
    private var closed = false
    private let rawPath: String?
    private let packetPath: String?

    public init(rawPath: String?, packetPath: String?, packetFormat: PacketFileFormat, rate: LineRate?,
                frameTimeout: Duration) throws {
        self.rawPath = rawPath
        self.packetPath = packetPath
        aligners = [StreamAligner(direction: .rx, frameTimeout: frameTimeout),
                    StreamAligner(direction: .tx, frameTimeout: frameTimeout)]
        if let rawPath {
            let header = RawCaptureFormat.Header(
                baud: rate?.baud ?? 0, startNanoseconds: startWall, frameFormat: (rate?.format ?? .standard).description,
                frameTimeoutMilliseconds: Int(MonotonicTime.nanoseconds(frameTimeout) / 1_000_000))
            raw = try RawCaptureWriter(path: rawPath, header: header)
        }
        if let packetPath {
            do {
                packets = try PacketCaptureWriter(path: packetPath, format: packetFormat)
            } catch let error as SystemError {
                throw CaptureError(description: "--capture \(error)")
            }
        }
    }

    /// ns since the Unix epoch for an instant of this process.
    public func timestamp(_ instant: ContinuousClock.Instant) -> Int64 {
        startWall + MonotonicTime.nanoseconds(instant - startInstant)
    }

    public func record(_ direction: LinkDirection, _ bytes: UnsafeRawBufferPointer, at instant: ContinuousClock.Instant) {
        let time = timestamp(instant)
        lock.withLock {
            guard !closed else { return }
            raw?.append(kind: direction == .rx ? .rx : .tx, timestamp: time, bytes: bytes)
            guard let packets else { return }
            let index = Int(direction.rawValue)
            aligners[index].feed(bytes, at: instant) { write($0, direction, time, packets) }
        }
    }

    public func note(_ text: String, at instant: ContinuousClock.Instant) {
        let time = timestamp(instant)
        lock.withLock {
            guard !closed else { return }
            Array(text.utf8).withUnsafeBytes { raw?.append(kind: .note, timestamp: time, bytes: $0) }
        }
    }

    /// No bytes for a while: lets a partial frame time out in the capture as it does in the device.
    public func idle(at instant: ContinuousClock.Instant) {
        let time = timestamp(instant)
        lock.withLock {
            guard !closed, let packets else { return }
            for index in aligners.indices {
                let direction = aligners[index].direction
                aligners[index].idle(at: instant) { write($0, direction, time, packets) }
            }
        }
    }

    /// The peer left: both directions' streams start over.
    public func disconnected(reason: String, at instant: ContinuousClock.Instant) {
        note("disconnected: \(reason)", at: instant)
        let time = timestamp(instant)
        lock.withLock {
            guard !closed, let packets else { return }
            for index in aligners.indices {
                let direction = aligners[index].direction
                aligners[index].reset { write($0, direction, time, packets) }
            }
        }
    }

    /// Flushes and closes both files (idempotent).
    public func close() {
        let time = timestamp(.now)
        lock.withLock {
            guard !closed else { return }
            closed = true
            raw?.close()
            guard let packets else { return }
            var summary: [String] = []
            for index in aligners.indices {
                let direction = aligners[index].direction
                aligners[index].finish { write($0, direction, time, packets) }
                let r = aligners[index].report
                summary.append("\(direction): \(r.bytes) bytes, \(r.frames) frames, \(r.badLengths.count) invalid lengths, "
                    + "\(r.resyncPoints.count) resync points, \(r.partialFrames.count) partial frames")
                summary += aligners[index].unattachedNotes.map { "\(direction) (no later frame): \($0)" }
            }
            let dropped = aligners.reduce(0) { $0 + $1.report.badLengths.count + $1.report.partialFrames.count }
            packets.finish(summary: summary, received: aligners.reduce(0) { $0 + $1.report.frames }, dropped: dropped)
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
            return status
        }
    }

    public var reports: [AlignmentReport] { lock.withLock { aligners.map(\.report) } }

    private func write(_ output: StreamAligner.Output, _ direction: LinkDirection, _ time: Int64,
                       _ packets: PacketCaptureWriter) {
        switch output {
        case .frame(let frame, _, let comment):
            packets.packet(direction: direction, timestamp: time, bytes: frame, comment: comment)
        case .partial(let bytes, let expected, _, let comment):
            packets.packet(direction: direction, timestamp: time, bytes: bytes, originalLength: expected, comment: comment)
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
