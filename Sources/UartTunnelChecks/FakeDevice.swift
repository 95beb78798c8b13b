import Foundation
import Synchronization
import UartTunnelLink
import UartTunnelSystem
import UartTunnelWire

/// A scripted device for bridge checks: listens (inside the check's namespace) or offers a pty (as a board's
/// serial port), decodes what the bridge sends with the seed's rules, answers ARP and ping through
/// `EchoResponder`, and can misbehave on request (junk, cut frames, disconnecting and coming back).
public final class FakeDevice: @unchecked Sendable {
    public struct Received: Sendable {
        public let time: ContinuousClock.Instant
        public let frame: [UInt8]
    }

    private let namespace: String
    private let tcpAddress: SocketAddress?
    /// In pty mode: a symbolic link to the current pty, which a bridge opens with `--serial`; it points at a new
    /// pty after `disappear(for:)`, as a replugged adapter keeps its udev name.
    public let ptyPath: String?
    /// The longest frame this device takes (records announcing more are bad lengths).
    public let maxFrame: Int
    private let state = Mutex(State())

    /// The TCP endpoint a bridge connects to (TCP mode only).
    public var address: SocketAddress {
        guard let tcpAddress else { preconditionFailure("a pty fake device has no TCP address") }
        return tcpAddress
    }

    private struct State {
        var listener: (any PeerSource)?
        var connection: Descriptor?
        var connections = 0
        var received: [Received] = []
        var badLengths = 0
        var stopped = false
        /// When false only the totals below are kept (throughput runs would otherwise hold every frame).
        var keepFrames = true
        var frames = 0
        var frameBytes = 0
        var firstFrame: ContinuousClock.Instant?
        var lastFrame: ContinuousClock.Instant?
    }

    /// Listens on an ephemeral loopback port inside `namespace`, or (`pty`) offers a pseudo-terminal.
    public init(namespace: String, pty: Bool = false, maxFrame: Int = WireFormat.maxFrameLength) throws {
        self.namespace = namespace
        self.maxFrame = maxFrame
        let listener: any PeerSource
        if pty {
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("uart-tunnel-fake-\(getpid())-\(FakeDevice.serial.add(1, ordering: .relaxed).newValue).pty").path
            ptyPath = path
            tcpAddress = nil
            listener = try Self.openPty(linkedAt: path)
        } else {
            let tcp = try NetworkNamespaceEntry.run(inNamespace: namespace) {
                try TCPListenSource(listenOn: SocketAddress(host: "127.0.0.1", port: 0))
            }
            ptyPath = nil
            tcpAddress = tcp.address
            listener = tcp
        }
        state.withLock { $0.listener = listener }
        let thread = Thread { [self] in serve() }
        thread.name = "fake-device"
        thread.start()
    }

    deinit { stop() }

    public func stop() {
        let (listener, connection) = state.withLock { state in
            state.stopped = true
            defer { state.listener = nil; state.connection = nil }
            return (state.listener, state.connection)
        }
        connection?.shutdown()
        listener?.close()
    }

    private static let serial = Atomic<Int>(0)

    private static func openPty(linkedAt path: String) throws -> PtyPeerSource {
        let terminal = try PseudoTerminal.open()
        do {
            try PseudoTerminal.link(path, to: terminal.slavePath)
        } catch {
            terminal.close()
            throw error
        }
        return PtyPeerSource(terminal: terminal, symlink: path)
    }

    public var connections: Int { state.withLock { $0.connections } }
    public var badLengths: Int { state.withLock { $0.badLengths } }
    public var received: [Received] { state.withLock { $0.received } }
    public func clearReceived() { state.withLock { $0.received.removeAll() } }

    /// Totals since `resetTotals`: frames, bytes, and the arrival times of the first and last frame.
    public var totals: (frames: Int, bytes: Int, first: ContinuousClock.Instant?, last: ContinuousClock.Instant?) {
        state.withLock { ($0.frames, $0.frameBytes, $0.firstFrame, $0.lastFrame) }
    }

    /// Starts counting afresh; `keepFrames: false` stops storing frames (for throughput runs).
    public func resetTotals(keepFrames: Bool) {
        state.withLock { state in
            state.keepFrames = keepFrames
            state.frames = 0
            state.frameBytes = 0
            state.firstFrame = nil
            state.lastFrame = nil
        }
    }

    /// Bytes exactly as given, to the connected bridge.
    public func send(raw bytes: [UInt8]) throws {
        guard let connection = state.withLock({ $0.connection }) else { throw CheckFailure("no bridge connected") }
        try connection.writeAll(bytes)
    }

    /// Drops the bridge and refuses connections for `downtime`, then listens on the same port again (pty: the
    /// pty is closed, so its path disappears, and a new one appears under the same link, like an unplugged and
    /// replugged adapter).
    public func disappear(for downtime: Duration) throws {
        let (listener, connection) = state.withLock { state in
            defer { state.listener = nil; state.connection = nil }
            return (state.listener, state.connection)
        }
        connection?.shutdown()
        listener?.close()
        pause(downtime)
        let relisten: any PeerSource
        if let ptyPath {
            relisten = try Self.openPty(linkedAt: ptyPath)
        } else {
            let port = address.port
            relisten = try NetworkNamespaceEntry.run(inNamespace: namespace) {
                try TCPListenSource(listenOn: SocketAddress(host: "127.0.0.1", port: port))
            }
        }
        state.withLock { $0.listener = relisten }
    }

    /// Waits until the bridge has connected at least `count` times in all.
    public func waitForConnections(_ count: Int, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.connections >= count && $0.connection != nil }) { return true }
            pause(.milliseconds(10))
        }
        return false
    }

    private func serve() {
        while true {
            guard let listener = state.withLock({ $0.stopped ? nil : Optional($0.listener) }) else { return }
            guard let listener else { pause(.milliseconds(20)); continue }
            guard let (connection, _) = try? listener.nextPeer(timeout: .milliseconds(100)) else { continue }
            state.withLock { state in
                state.connection = connection
                state.connections += 1
            }
            read(connection)
            listener.release(connection)
            state.withLock { state in
                if state.connection == connection { state.connection = nil }
            }
        }
    }

    private func read(_ connection: Descriptor) {
        var decoder = RecordDecoder(maxFrame: maxFrame)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let ready: Bool
            do { ready = try connection.waitReadable(timeout: .milliseconds(200)) } catch { return }
            if !ready {
                decoder.expire(now: .now) { _ in }
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            guard let count = try? connection.read(into: &buffer), count > 0 else { return }
            let now = ContinuousClock.now
            var replies: [[UInt8]] = []
            decoder.feed(buffer[0..<count], now: now) { event in
                switch event {
                case .frame(let frame):
                    state.withLock { state in
                        if state.keepFrames { state.received.append(Received(time: now, frame: frame)) }
                        state.frames += 1
                        state.frameBytes += frame.count
                        if state.firstFrame == nil { state.firstFrame = now }
                        state.lastFrame = now
                    }
                    if let reply = EchoResponder.reply(to: frame) { replies.append(reply) }
                case .badLength:
                    state.withLock { $0.badLengths += 1 }
                default:
                    break
                }
            }
            for reply in replies {
                guard let record = try? RecordEncoder.encode(reply, maxFrame: maxFrame) else { continue }
                try? connection.writeAll(record)
            }
        }
    }
}
