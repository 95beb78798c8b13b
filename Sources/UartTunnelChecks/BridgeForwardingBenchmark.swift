import Foundation
import Synchronization
import UartTunnelSystem
import UartTunnelWire

/// How fast a bridge itself moves frames, with nothing slower than it on either side: a fake device that
/// writes 1514-byte UDP frames as fast as TCP takes them (device → kernel, counted by a UDP socket on the
/// interface), and the kernel flooding UDP at the device (kernel → device, counted by the fake device).
/// The lwIP device caps the end-to-end figures of `KernelBenchmark`; this one isolates the bridge.
public struct BridgeForwardingBenchmark {
    public struct Result: Sendable {
        public var deviceToKernel: Double?
        public var kernelToDevice: Double?
        public var note = ""
    }

    public let frames: Int
    static let payload = 1472  // a 1514-byte frame

    /// Each direction runs `rounds` times and reports the median: one 0.1 s burst on a shared 2-core machine
    /// varies by 2x.
    public let rounds = 3

    public init(frames: Int = 200_000) {
        self.frames = frames
    }

    public func measure(bridge: [String]) -> Result {
        var result = Result()
        if let reason = NetworkNamespace.unavailableReason {
            result.note = "skipped: \(reason)"
            return result
        }
        do {
            let namespace = try NetworkNamespace(tag: "fwd")
            let device = try FakeDevice(namespace: namespace.name)
            defer { device.stop() }
            let process = try namespace.start(BridgeCommandTemplate.substitute(bridge, port: device.address.port,
                                                                              ifname: "tun0"))
            defer { process.terminate() }
            guard device.waitForConnections(1, timeout: .seconds(10)) else { throw CheckFailure("bridge did not connect") }
            let ready = ContinuousClock.now + .seconds(10)
            while try namespace.run(["ping", "-c", "1", "-W", "1", "192.168.100.2"]).status != 0 {
                guard ContinuousClock.now < ready else { throw CheckFailure("no ping through the bridge") }
            }
            result.deviceToKernel = Self.median(try (0..<rounds).map { _ in try deviceToKernel(namespace, device) })
            result.kernelToDevice = Self.median(try (0..<rounds).map { _ in try kernelToDevice(namespace, device) })
        } catch {
            result.note = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
        }
        return result
    }

    /// Bytes of frames per second that reached the kernel's UDP socket.
    private func deviceToKernel(_ namespace: NetworkNamespace, _ device: FakeDevice) throws -> Double {
        let receiver = try NetworkNamespaceEntry.run(inNamespace: namespace.name) {
            try UDPSocket.bind(to: SocketAddress(host: "192.168.100.1", port: 40_000))
        }
        defer { receiver.close() }
        let frame = PacketBuilder.udp(srcMAC: .device, dstMAC: .host, srcIP: .device, dstIP: .gateway,
                                      srcPort: 40_001, dstPort: 40_000, payload: [UInt8](repeating: 0x5A, count: Self.payload))
        let record = try RecordEncoder.encode(frame)
        let batch = Array([[UInt8]](repeating: record, count: 64).joined())
        let counted = Mutex((datagrams: 0, first: ContinuousClock.Instant?.none, last: ContinuousClock.Instant?.none))
        let done = DispatchSemaphore(value: 0)
        let expected = frames
        try receiver.setNonBlocking(true)
        Thread {
            // Drain without a poll per datagram: the counter must not be what limits the figure.
            var buffer = [UInt8](repeating: 0, count: 2048)
            var total = 0
            receiving: while (try? receiver.waitReadable(timeout: .seconds(2))) == true {
                while let count = try? receiver.readIfReady(into: &buffer), count > 0 {
                    total += 1
                    let now = ContinuousClock.now
                    counted.withLock { state in
                        state.datagrams = total
                        if state.first == nil { state.first = now }
                        state.last = now
                    }
                    if total >= expected { break receiving }
                }
            }
            done.signal()
        }.start()
        for _ in 0..<(frames / 64) { try device.send(raw: batch) }
        done.wait()
        let (datagrams, first, last) = counted.withLock { $0 }
        guard let first, let last, datagrams > 1 else { throw CheckFailure("no datagrams reached the kernel") }
        return Double((datagrams - 1) * frame.count) / Self.seconds(last - first)
    }

    /// Bytes of frames per second that reached the fake device while the kernel floods UDP at it.
    private func kernelToDevice(_ namespace: NetworkNamespace, _ device: FakeDevice) throws -> Double {
        device.resetTotals(keepFrames: false)
        let sender = try NetworkNamespaceEntry.run(inNamespace: namespace.name) { try UDPSocket.open() }
        defer { sender.close() }
        let payload = [UInt8](repeating: 0xA5, count: Self.payload)
        let target = SocketAddress(host: "192.168.100.2", port: 40_000)
        for _ in 0..<frames { try UDPSocket.send(sender, payload, to: target) }
        // Wait until the count stops growing.
        var previous = -1
        while case let (count, _, _, _) = device.totals, count != previous {
            previous = count
            pause(.milliseconds(300))
        }
        let (count, bytes, first, last) = device.totals
        device.resetTotals(keepFrames: true)
        guard let first, let last, count > 1 else { throw CheckFailure("no frames reached the device") }
        return Double(bytes - bytes / count) / Self.seconds(last - first)
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return max(Double(seconds) + Double(attoseconds) / 1e18, 1e-9)
    }
}
