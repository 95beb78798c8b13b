import UartTunnelSystem
import UartTunnelWire

/// The host's end of a device's UART: connects to its TCP endpoint, sends records (or raw bytes, to play a
/// broken peer) and reads the device's records back through the same decoder a bridge uses.
public final class DevicePeer {
    public let socket: Descriptor
    private var decoder: RecordDecoder
    private var pending: [[UInt8]] = []
    /// Every frame the device sent on this connection, matched or skipped, in order (for checks that look at
    /// the whole conversation, e.g. "no ARP request for the gateway").
    public private(set) var seen: [[UInt8]] = []
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
    /// What the decoder made of every byte received: a stream that starts and stays on record boundaries has
    /// `bytesIn == frameBytes + 2 * frames`.
    public var decoderCounters: DecoderCounters { decoder.counters }

    /// The longest frame this peer sends and accepts (a bridge's `--max-frame`).
    public let maxFrame: Int

    /// `frameTimeout` as the device's `--frame-timeout-ms`: a slow paced line needs more than the default 1 s.
    public init(connectingTo address: SocketAddress, frameTimeout: Duration = .seconds(1),
                maxFrame: Int = WireFormat.maxFrameLength) throws(SystemError) {
        self.maxFrame = maxFrame
        decoder = RecordDecoder(timeout: frameTimeout, maxFrame: maxFrame)
        socket = try TCPSocket.connect(to: address)
    }

    deinit {
        socket.close()
        chunk.deallocate()
    }

    /// Raw bytes exactly as given: for malformed lengths, junk and cut-off frames.
    public func send(raw bytes: [UInt8]) throws(SystemError) {
        try socket.writeAll(bytes)
    }

    /// `bytes`, then the end of the stream, in one TCP segment: a peer that leaves mid-frame, told apart from
    /// one that stalls however late the device's reader runs.
    public func sendAndLeave(raw bytes: [UInt8]) throws(SystemError) {
        try TCPSocket.cork(socket)
        try socket.writeAll(bytes)
        socket.shutdown()
    }

    /// One well-formed record, in one write.
    public func send(frame: [UInt8]) throws {
        try socket.writeAll(try RecordEncoder.encode(frame, maxFrame: maxFrame))
    }

    /// The next frame from the device that satisfies `predicate`, or nil if none arrives within `timeout`.
    /// Frames that do not match are skipped.
    public func receiveFrame(within timeout: Duration, matching predicate: ([UInt8]) -> Bool = { _ in true })
        throws(SystemError) -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while true {
            while !pending.isEmpty {
                let frame = pending.removeFirst()
                if predicate(frame) { return frame }
            }
            let left = deadline - .now
            guard left > .zero, try fill(waiting: left) else { return nil }
        }
    }

    /// Every frame that arrives within `duration`.
    public func collectFrames(for duration: Duration) throws(SystemError) -> [[UInt8]] {
        let deadline = ContinuousClock.now + duration
        while case let left = deadline - .now, left > .zero {
            _ = try fill(waiting: left)
        }
        defer { pending.removeAll() }
        return pending
    }

    /// Every frame that arrives until the device has been quiet for `quiet` (at most `limit` in all): robust to a
    /// loaded machine where a fixed window would cut a late reply off into the next step.
    public func collectFrames(untilQuietFor quiet: Duration, limit: Duration) throws(SystemError) -> [[UInt8]] {
        let end = ContinuousClock.now + limit
        var quietUntil = ContinuousClock.now + quiet
        while case let now = ContinuousClock.now, now < quietUntil, now < end {
            if try fill(waiting: min(quietUntil, end) - now) { quietUntil = ContinuousClock.now + quiet }
        }
        defer { pending.removeAll() }
        return pending
    }

    /// Sends an echo request from the host to the device and waits for the matching reply frame. The 5 s default
    /// is for a loaded 2-core CI machine (a child device under valgrind beside it), not for the device.
    public func ping(identifier: UInt16, sequence: UInt16, payload: [UInt8] = PacketBuilder.defaultPingPayload,
                     within timeout: Duration = .seconds(5)) throws -> [UInt8]? {
        try send(frame: PacketBuilder.icmpEchoRequest(identifier: identifier, sequence: sequence, payload: payload))
        return try receiveFrame(within: timeout) { frame in
            Self.isEchoReply(frame, identifier: identifier, sequence: sequence)
        }
    }

    public static func isEchoReply(_ frame: [UInt8], identifier: UInt16, sequence: UInt16) -> Bool {
        guard let ethernet = EthernetFrame(frame), ethernet.etherType == EtherType.ipv4,
              let ip = IPv4Packet(ethernet.payload), ip.protocol == IPProtocol.icmp,
              let echo = ICMPEcho(ip.payload)
        else { return false }
        return echo.type == ICMPEcho.replyType && echo.identifier == identifier && echo.sequence == sequence
    }

    /// Reads whatever arrives within `timeout` into `pending`; false if nothing did (or the device closed).
    private func fill(waiting timeout: Duration) throws(SystemError) -> Bool {
        guard try socket.waitReadable(timeout: timeout) else { return false }
        let count = try socket.read(into: UnsafeMutableRawBufferPointer(chunk))
        guard count > 0 else { return false }
        decoder.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), now: .now) { event in
            if case .frame(let frame) = event {
                pending.append(frame)
                seen.append(frame)
            }
        }
        return true
    }
}
