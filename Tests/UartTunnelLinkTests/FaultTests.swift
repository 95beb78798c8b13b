import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks
import UartTunnelLink
import UartTunnelWire

@Suite struct FaultSpecParsingTests {
    @Test func parsesEveryKeyForBothDirections() throws {
        let faults = try FaultConfiguration(parsing: "loss=0.01,drop-byte=1e-4,flip-bit=1e-6,truncate=0.001,delay=5ms±2ms,seed=7")
        for spec in [faults.rx, faults.tx] {
            #expect(spec.loss == 0.01 && spec.dropByte == 1e-4 && spec.flipBit == 1e-6 && spec.truncate == 0.001)
            #expect(spec.delay == .milliseconds(5) && spec.jitter == .milliseconds(2))
        }
        #expect(faults.seed == 7)
    }

    @Test func directionPrefixesApplyToOneSide() throws {
        let faults = try FaultConfiguration(parsing: "rx:loss=2%,tx:drop-byte=0.5,delay=1ms+-500us")
        #expect(faults.rx.loss == 0.02 && faults.tx.loss == 0)
        #expect(faults.tx.dropByte == 0.5 && faults.rx.dropByte == 0)
        #expect(faults.rx.delay == .milliseconds(1) && faults.tx.jitter == .microseconds(500))
    }

    @Test(arguments: ["loss=2", "loss=-0.1", "drop-byte=x", "nonsense=1", "loss", "delay=5", "delay=1ms±2ms", "rx:seed=3"])
    func rejectsBadSpecs(spec: String) {
        #expect(throws: FaultConfiguration.ParseError.self) { try FaultConfiguration(parsing: spec) }
    }
}

/// The injector on a known stream: determinism, chunking independence, and counts near their expectation.
@Suite(.ownThreads) struct FaultInjectorTests {
    static let frames: [[UInt8]] = (0..<4000).map { index in
        PacketBuilder.icmpEchoRequest(identifier: 7, sequence: UInt16(index),
                                      payload: (0..<(index % 200 + 10)).map { UInt8(truncatingIfNeeded: $0 + index) })
    }
    static let stream: [UInt8] = frames.reduce(into: []) { try! RecordEncoder.append($1, to: &$0) }

    /// Runs `spec` over the stream in chunks of `chunk` bytes; returns the output and the counters.
    static func inject(_ spec: FaultSpec, seed: UInt64, chunk: Int) -> ([UInt8], FaultCounters, [Int64]) {
        var injector = FaultInjector(spec: spec, seed: seed, direction: "rx")
        var output: [UInt8] = []
        var releases: [Int64] = []
        let instant = ContinuousClock.now
        stream.withUnsafeBytes { all in
            var offset = 0
            var arrival: Int64 = 1_000_000
            while offset < all.count {
                let end = min(offset + chunk, all.count)
                injector.process(UnsafeRawBufferPointer(rebasing: all[offset..<end]), arrival: arrival, instant: instant) { run, notBefore in
                    output += run
                    releases.append(notBefore)
                }
                offset = end
                arrival += 1000
            }
        }
        return (output, injector.counters, releases)
    }

    static var everything: FaultSpec {
        var spec = FaultSpec()
        spec.loss = 0.01
        spec.dropByte = 1e-4
        spec.flipBit = 1e-5
        spec.truncate = 0.005
        return spec
    }

    @Test func sameSeedSameBytesWhateverTheChunking() {
        let (a, countersA, _) = Self.inject(Self.everything, seed: 7, chunk: 1500)
        let (b, countersB, _) = Self.inject(Self.everything, seed: 7, chunk: 37)
        let (c, _, _) = Self.inject(Self.everything, seed: 7, chunk: 65536)
        #expect(a == b && b == c)
        #expect(countersA == countersB)
        let (other, _, _) = Self.inject(Self.everything, seed: 8, chunk: 1500)
        #expect(other != a)
    }

    @Test func countsMatchTheProbabilities() {
        let (output, counters, _) = Self.inject(Self.everything, seed: 11, chunk: 4096)
        let records = Self.frames.count
        #expect(counters.records == records)
        func near(_ value: Int, _ expected: Double, _ what: String) {
            let sigma = max(1, expected.squareRoot())
            #expect(abs(Double(value) - expected) < 4 * sigma, "\(what): \(value), expected about \(expected)")
        }
        near(counters.recordsLost, 0.01 * Double(records), "lost records")
        near(counters.recordsTruncated, 0.005 * Double(records) * 0.99, "truncated records")
        let surviving = Double(Self.stream.count) * 0.985
        near(counters.bytesDropped, 1e-4 * surviving, "dropped bytes")
        near(counters.bitsFlipped, 1e-5 * 8 * surviving, "flipped bits")
        #expect(output.count == Self.stream.count - counters.bytesRemoved)
        note("faults over \(records) records / \(Self.stream.count) B: \(counters)")
    }

    @Test func lossAloneRemovesWholeRecordsAndKeepsTheRestAligned() {
        var spec = FaultSpec()
        spec.loss = 0.05
        let (output, counters, _) = Self.inject(spec, seed: 3, chunk: 999)
        var decoder = RecordDecoder()
        var frames: [[UInt8]] = []
        decoder.feed(output, now: .now) { if case .frame(let frame) = $0 { frames.append(frame) } }
        #expect(decoder.counters.badLengths == 0)
        #expect(frames.count == Self.frames.count - counters.recordsLost)
        // Every surviving frame is one of the originals, in order.
        var index = 0
        for frame in frames {
            while index < Self.frames.count && Self.frames[index] != frame { index += 1 }
            #expect(index < Self.frames.count)
        }
    }

    @Test func truncationMisalignsTheReceiverUntilItResyncs() {
        var spec = FaultSpec()
        spec.truncate = 0.01
        let (output, counters, _) = Self.inject(spec, seed: 5, chunk: 4096)
        var decoder = RecordDecoder()
        decoder.feed(output, now: .now) { _ in }
        #expect(counters.recordsTruncated > 10)
        #expect(decoder.counters.frames < Self.frames.count - counters.recordsTruncated)
        #expect(decoder.counters.badLengths > 0)
    }

    @Test func delayHoldsRecordsBackWithoutReordering() {
        var spec = FaultSpec()
        spec.delay = .milliseconds(5)
        spec.jitter = .milliseconds(2)
        let (output, counters, releases) = Self.inject(spec, seed: 9, chunk: 1500)
        #expect(output == Self.stream)
        #expect(counters.recordsDelayed == Self.frames.count)
        #expect(zip(releases, releases.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(releases.first! >= 1_000_000 + 3_000_000)
    }
}
