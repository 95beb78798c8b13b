import Foundation
import UartTunnelLink
import UartTunnelSystem

/// Plays the RX side of a capture (a fuzz reproducer, a `--raw` capture, anything `decode` reads) into a device's
/// UART endpoint as its peer would have: connects, sends each record's bytes as far after the first as its
/// timestamp says, keeps the connection through the last idle gap, then leaves. The device does the rest as with
/// any peer: its log, `--capture`, `--raw`, defects.
public struct CaptureReplay: Sendable {
    public struct Chunk: Sendable, Equatable {
        /// Nanoseconds after the first RX record.
        public var offset: Int64
        public var bytes: [UInt8]
    }

    public let chunks: [Chunk]
    /// How long the line stays connected after the first byte: the last chunk, or the last note after it.
    public let duration: Int64

    public init(path: String) throws(FuzzError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io("--replay \(path): cannot read it") }
        let file: CaptureFile
        do {
            file = try CaptureFile(Array(data), plain: false, direction: .rx)
        } catch {
            throw .io("--replay \(path): \(error)")
        }
        let received = file.records.filter { $0.kind == .rx && !$0.bytes.isEmpty }
        guard let first = received.first else { throw .io("--replay \(path): no bytes toward the device in it") }
        guard file.timed else { throw .io("--replay \(path): a \(file.kind.rawValue) dump has no timing to replay") }
        chunks = received.map { Chunk(offset: $0.timestamp - first.timestamp, bytes: $0.bytes) }
        duration = max(chunks.last?.offset ?? 0, (file.records.last?.timestamp ?? first.timestamp) - first.timestamp)
    }

    public var byteCount: Int { chunks.reduce(0) { $0 + $1.bytes.count } }

    /// Connects to `address` and plays the chunks in real time; returns when the last gap and then `hold` are over
    /// and the connection is closed (a peer that stays while the device's checks run: a frame the driver never
    /// delivered is named while its peer is still there). What the device sends back is read and dropped.
    public func play(to address: SocketAddress, hold: Duration = .zero) throws(SystemError) {
        let socket = try TCPSocket.connect(to: address, timeout: .seconds(5))
        defer { socket.close() }
        let draining = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while let count = try? socket.read(into: &buffer), count > 0 {}
        }
        draining.start()
        let start = ContinuousClock.now
        for chunk in chunks {
            ContinuousClock().sleepUntil(start + .nanoseconds(chunk.offset))
            try socket.writeAll(chunk.bytes)
        }
        ContinuousClock().sleepUntil(start + .nanoseconds(duration) + hold)
        socket.shutdown()   // the drain thread sees end of file and ends before the descriptor is closed
        for _ in 0..<200 where !draining.isFinished { usleep(10_000) }
    }
}

extension ContinuousClock {
    /// Blocks the calling thread (a replay runs on a thread of its own) until `instant`.
    func sleepUntil(_ instant: Instant) {
        let left = instant - now
        guard left > .zero else { return }
        let (seconds, attoseconds) = left.components
        var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
    }
}
