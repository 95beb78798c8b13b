import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks
import UartTunnelLink
import UartTunnelSystem

@Suite struct LineFormatTests {
    @Test(arguments: [("8N1", 10.0), ("8E1", 11.0), ("8O1", 11.0), ("8N2", 11.0), ("7E1", 10.0), ("8n1", 10.0),
                      ("8N1.5", 10.5), ("5N1", 7.0), ("9E2", 13.0)])
    func bitsPerCharacter(format: String, bits: Double) throws {
        let parsed = try #require(UARTFrameFormat(format))
        #expect(parsed.bitsPerCharacter == bits)
    }

    @Test(arguments: ["", "8", "8X1", "4N1", "8N3", "10N1", "8N1x"])
    func rejectsMalformedFormats(format: String) {
        #expect(UARTFrameFormat(format) == nil)
    }

    @Test func lineRateArithmetic() {
        let rate = LineRate(baud: 115_200)
        #expect(rate.bytesPerSecond == 11_520)
        // A 100-byte ping record takes 8.68 ms each way: the seed's 17.4 ms round-trip floor.
        #expect(rate.nanoseconds(forBytes: 100) == 8_680_555)
        #expect(rate.bytes(in: 8_680_555) == 99)  // the 100th byte completes a fraction of a ns later
        #expect(rate.bytes(in: 8_680_556) == 100)
        let fast = LineRate(baud: LineRate.maximumBaud, format: UARTFrameFormat("8E1")!)
        #expect(fast.nanoseconds(forBytes: 1) == 2200)
        // No overflow for a day of line time.
        #expect(rate.nanoseconds(forBytes: 11_520 * 86_400) == 86_400 * 1_000_000_000)
    }

    /// The receiver's 1 s deadline runs from a record's length prefix: 1518 bytes of 8N1 need 15,180 baud.
    @Test func longestFrameWithinTheFrameTimeout() {
        #expect(LineRate(baud: 115_200).longestFrame(within: .seconds(1)) == nil)
        #expect(LineRate(baud: 15_180).longestFrame(within: .seconds(1)) == nil)
        #expect(LineRate(baud: 15_179).longestFrame(within: .seconds(1)) == 1517)
        #expect(LineRate(baud: 9600).longestFrame(within: .seconds(1)) == 960)
        #expect(LineRate(baud: 9600, format: UARTFrameFormat("8E1")!).longestFrame(within: .seconds(1)) == 872)
        #expect(LineRate(baud: 300).longestFrame(within: .seconds(10)) == 300)
        #expect(LineRate(baud: 9600).longestFrame(within: .seconds(2)) == nil)
    }
}

@Suite struct LinePacerTests {
    @Test func burstCompletesAtMultiplesOfTheByteTime() {
        var pacer = LinePacer(rate: LineRate(baud: 115_200))
        let start: Int64 = 1_000_000_000
        let completions = (0..<100).map { _ in pacer.schedule(notBefore: start) }
        #expect(completions.first == start + 86_805)
        #expect(completions.last == start + 8_680_555)
        for (a, b) in zip(completions, completions.dropFirst()) {
            #expect((86_805...86_806).contains(b - a))
        }
    }

    @Test func idleLineBanksNoCredit() {
        var pacer = LinePacer(rate: LineRate(baud: 115_200))
        _ = pacer.schedule(notBefore: 0)
        // One second of silence, then a byte: it still needs a whole byte time, not less.
        #expect(pacer.schedule(notBefore: 1_000_000_000) == 1_000_086_805)
    }

    @Test func takeNeverReleasesAByteBeforeItHasCrossed() {
        var generator = SplitMix64(seed: 42)
        let rate = LineRate(baud: 230_400, format: UARTFrameFormat("8E1")!)
        var pacer = LinePacer(rate: rate)
        var reference = LinePacer(rate: rate)
        var now: Int64 = 0
        var pending = 0
        var notBefore: Int64 = 0
        var delivered = 0
        for _ in 0..<5000 {
            if pending == 0 {
                pending = Int(generator.next() % 200) + 1
                notBefore = now + Int64(generator.next() % 2_000_000)
                delivered = 0
            }
            now += Int64(generator.next() % 300_000)
            let (count, next) = pacer.take(available: pending, notBefore: notBefore, now: now)
            for _ in 0..<count {
                // Each released byte's own completion time, from an independent schedule, is not after `now`.
                let completion = reference.schedule(notBefore: notBefore)
                #expect(completion <= now)
            }
            if count < pending { #expect(next > now) }  // the first byte held back is still on the line
            pending -= count
            delivered += count
        }
    }
}

/// Pacing measured end to end on a loopback TCP pair: behaviour, not performance (generous tolerances).
@Suite(.serialized, .ownThreads) struct PacedLinkTests {
    /// The link and a connected client; `rate` nil = unpaced.
    final class Pair: @unchecked Sendable {
        let link: TCPServerLink
        let pipeline: LinkPipeline
        let sink = RecordingReceiver()
        let client: Descriptor

        init(rate: LineRate?) throws {
            var configuration = LinkConfiguration()
            configuration.rate = rate
            let link = try TCPServerLink(listenOn: SocketAddress(host: "127.0.0.1", port: 0))
            self.link = link
            pipeline = try LinkPipeline(configuration: configuration) { bytes, continuing in link.send(bytes, continuing: continuing) }
            link.start(delivering: pipeline.receiver(delivering: sink))
            client = try TCPSocket.connect(to: link.address)
            guard sink.wait(timeout: .seconds(5), until: { $0.connected == 1 }) else {
                throw CheckFailure("link never saw the client")
            }
        }

        deinit {
            client.close()
            link.stop()
            pipeline.stop()
        }

        /// Bytes per second of `count` bytes sent peer → device, from the first delivery to the last.
        func measureRX(count: Int) throws -> (rate: Double, seconds: Double) {
            let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
            let started = MonotonicTime.now()
            try client.writeAll(payload)
            guard sink.wait(timeout: .seconds(30), until: { $0.bytes.count >= count }) else {
                throw CheckFailure("only \(sink.count) of \(count) bytes arrived")
            }
            let (bytes, deliveries) = sink.state.withLock { ($0.bytes, $0.deliveries) }
            #expect(bytes == payload)
            let first = deliveries.first!
            let last = deliveries.last!.time
            // The first delivery's bytes had crossed by its time; count the rest against the interval.
            let span = Double(last - first.time) / 1e9
            return (Double(count - first.count) / max(span, 1e-9), Double(last - started) / 1e9)
        }

        /// Bytes per second of `count` bytes sent device → peer, as the client sees them arrive.
        func measureTX(count: Int) throws -> (rate: Double, seconds: Double) {
            let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let pipeline = pipeline
            let started = MonotonicTime.now()
            let sender = Thread {
                var offset = 0
                while offset < payload.count {  // records of up to 1516 bytes, as a driver writes them
                    let end = min(offset + 1516, payload.count)
                    pipeline.transmit(Array(payload[offset..<end]))
                    offset = end
                }
            }
            sender.start()
            let (bytes, first, last) = try readTimed(client, count: count, timeout: .seconds(30))
            #expect(bytes == payload)
            let firstRead = bytes.isEmpty ? 0 : 1
            let span = Double(last - first) / 1e9
            return (Double(bytes.count - firstRead) / max(span, 1e-9), Double(last - started) / 1e9)
        }
    }

    @Test(arguments: [(115_200, "8N1"), (460_800, "8E1")])
    func rxIsHeldToTheLineRate(baud: Int, format: String) throws {
        let rate = LineRate(baud: baud, format: UARTFrameFormat(format)!)
        let pair = try Pair(rate: rate)
        let count = Int(rate.bytesPerSecond * 0.7)
        let measured = try pair.measureRX(count: count)
        note("RX paced \(rate): \(Int(measured.rate)) B/s over \(String(format: "%.3f", measured.seconds)) s, "
            + "model \(Int(rate.bytesPerSecond)) B/s")
        expectHeldToTheLine(seconds: measured.seconds, count: count, rate)
    }

    @Test func txIsHeldToTheLineRate() throws {
        let rate = LineRate(baud: 115_200)
        let pair = try Pair(rate: rate)
        let count = 8064
        let measured = try pair.measureTX(count: count)
        note("TX paced \(rate): \(Int(measured.rate)) B/s over \(String(format: "%.3f", measured.seconds)) s, "
            + "model \(Int(rate.bytesPerSecond)) B/s")
        expectHeldToTheLine(seconds: measured.seconds, count: count, rate)
    }

    @Test func bothDirectionsRunAtFullRateAtOnce() throws {
        let rate = LineRate(baud: 115_200)
        let pair = try Pair(rate: rate)
        let count = 6912  // 0.6 s each way
        // One direction alone first, on this machine as loaded as it is now: the bound below scales with it.
        let alone = try Pair(rate: rate).measureRX(count: count)
        nonisolated(unsafe) var tx: (rate: Double, seconds: Double) = (0, 0)
        let done = DispatchSemaphore(value: 0)
        Thread {
            tx = (try? pair.measureTX(count: count)) ?? (0, 0)
            done.signal()
        }.start()
        let rx = try pair.measureRX(count: count)
        done.wait()
        note("full duplex at \(rate): RX \(Int(rx.rate)) B/s, TX \(Int(tx.rate)) B/s, model \(Int(rate.bytesPerSecond)) B/s each")
        expectHeldToTheLine(seconds: rx.seconds, count: count, rate)
        expectHeldToTheLine(seconds: tx.seconds, count: count, rate)
        // Half duplex would need twice the time of one direction alone (or of the model, if that is longer).
        #expect(max(rx.seconds, tx.seconds) < 1.5 * max(alone.seconds, Double(count) / rate.bytesPerSecond),
                "one direction alone took \(alone.seconds) s")
    }

    @Test func unpacedLinkIsMuchFaster() throws {
        let pair = try Pair(rate: nil)
        let count = 8064
        let rx = try pair.measureRX(count: count)
        let tx = try pair.measureTX(count: count)
        note("unpaced: RX \(String(format: "%.3f", rx.seconds * 1000)) ms, TX \(String(format: "%.3f", tx.seconds * 1000)) ms "
            + "for \(count) B (paced 115200 would take 700 ms)")
        // half the paced time at most: even a loaded machine moves 8 KB over loopback far faster than the line
        #expect(rx.seconds < 0.35)
        #expect(tx.seconds < 0.35)
    }
}

/// The causal claim is strict: counted from before the first byte was sent, the last one cannot arrive before the
/// line could carry them all (1 % for the clock reads). The other side is loose on purpose: a busy machine wakes the
/// pacer late and absolute deadlines let it catch up, but how closely is a figure for `uart-tunnel bench`, not a
/// test. (Rates between first and last arrival are not judged: a late first read makes them look faster.)
func expectHeldToTheLine(seconds: Double, count: Int, _ rate: LineRate, sourceLocation: SourceLocation = #_sourceLocation) {
    let line = Double(count) / rate.bytesPerSecond
    #expect(seconds >= line * 0.99, "\(count) bytes in \(seconds) s: faster than the line (\(line) s)",
            sourceLocation: sourceLocation)
    #expect(seconds <= line * 2, "\(count) bytes took \(seconds) s: the pacer fell far behind the line (\(line) s)",
            sourceLocation: sourceLocation)
}
