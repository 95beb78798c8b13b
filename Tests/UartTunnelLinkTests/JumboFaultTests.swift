import Foundation
import Testing
import UartTunnelLink
import UartTunnelWire

/// Fault injection on a jumbo link (`--max-frame 9018`): the injector's record finder takes the link's limit, so
/// `loss` and `truncate` act on 8042-byte records exactly as on 1518-byte ones (same seed, same draws, same
/// counters); a finder left at 1518 would read every jumbo length as a bad 2-byte unit.
@Suite(.ownThreads) struct JumboFaultTests {
    static let count = 300

    /// `count` ICMP echo requests of `size` bytes each (sequence = index), as records for a `maxFrame` link.
    static func stream(frameSize size: Int, maxFrame: Int) -> [UInt8] {
        var out: [UInt8] = []
        for index in 0..<count {
            let frame = PacketBuilder.icmpEchoRequest(identifier: 9, sequence: UInt16(index),
                                                      payload: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: size - 42))
            precondition(frame.count == size)
            try! RecordEncoder.append(frame, to: &out, maxFrame: maxFrame)
        }
        return out
    }

    static let classic = stream(frameSize: 1518, maxFrame: 1518)
    static let jumbo = stream(frameSize: 8042, maxFrame: 9018)

    static func spec(loss: Double = 0, truncate: Double = 0) -> FaultSpec {
        var spec = FaultSpec()
        spec.loss = loss
        spec.truncate = truncate
        return spec
    }

    /// `stream` through an injector for a `maxFrame` link, in 1000-byte chunks.
    static func inject(_ stream: [UInt8], _ spec: FaultSpec, maxFrame: Int, seed: UInt64 = 21) -> ([UInt8], FaultCounters) {
        var injector = FaultInjector(spec: spec, seed: seed, direction: "rx", maxFrame: maxFrame)
        var output: [UInt8] = []
        let instant = ContinuousClock.now
        stream.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + 1000, all.count)
                injector.process(UnsafeRawBufferPointer(rebasing: all[offset..<end]), arrival: 1, instant: instant) { run, _ in
                    output += run
                }
                offset = end
            }
        }
        return (output, injector.counters)
    }

    /// The sequence numbers of the original echo requests (whole, of the stream's size) a `maxFrame` receiver
    /// decodes from `bytes`, and its bad lengths; junk misread after a truncation counts as no request.
    static func survivors(_ bytes: [UInt8], maxFrame: Int, frameSize: Int) -> ([Int], Int) {
        var decoder = RecordDecoder(maxFrame: maxFrame)
        var sequences: [Int] = []
        decoder.feed(bytes, now: .now) { event in
            guard case .frame(let frame) = event, frame.count == frameSize else { return }
            let sequence = Int(frame[40]) << 8 | Int(frame[41])
            if sequence < count && frame[42...].allSatisfy({ $0 == UInt8(truncatingIfNeeded: sequence) }) {
                sequences.append(sequence)
            }
        }
        return (sequences, decoder.counters.badLengths)
    }

    @Test func lossDropsTheSameWholeJumboRecordsAsClassicOnes() {
        let spec = Self.spec(loss: 0.1)
        let (classicOut, classic) = Self.inject(Self.classic, spec, maxFrame: 1518)
        let (jumboOut, jumbo) = Self.inject(Self.jumbo, spec, maxFrame: 9018)
        #expect(jumbo.records == Self.count && classic.records == Self.count)
        #expect(jumbo.recordsLost > 10)
        #expect(jumbo.recordsLost == classic.recordsLost)
        #expect(jumbo.bytesRemoved == jumbo.recordsLost * 8044)
        #expect(classic.bytesRemoved == classic.recordsLost * 1520)
        let (jumboSequences, jumboBad) = Self.survivors(jumboOut, maxFrame: 9018, frameSize: 8042)
        let (classicSequences, classicBad) = Self.survivors(classicOut, maxFrame: 1518, frameSize: 1518)
        #expect(jumboBad == 0 && classicBad == 0)
        #expect(jumboSequences.count == Self.count - jumbo.recordsLost)
        #expect(jumboSequences == classicSequences, "the same records are lost, whatever their size")
    }

    @Test func truncationCutsInsideTheSameJumboRecordsAsClassicOnes() {
        let spec = Self.spec(truncate: 0.1)
        let (_, classic) = Self.inject(Self.classic, spec, maxFrame: 1518)
        let (jumboOut, jumbo) = Self.inject(Self.jumbo, spec, maxFrame: 9018)
        #expect(jumbo.records == Self.count && classic.records == Self.count)
        #expect(jumbo.recordsTruncated > 10)
        #expect(jumbo.recordsTruncated == classic.recordsTruncated)
        // Each truncated record keeps 1..<8044 of its bytes: the cut falls inside the jumbo record, not after its
        // first byte as it would for a length the finder thought invalid.
        #expect(jumbo.bytesRemoved > jumbo.recordsTruncated * 1520, "\(jumbo)")
        #expect(jumbo.bytesRemoved < jumbo.recordsTruncated * 8044, "\(jumbo)")
        #expect(jumboOut.count == Self.jumbo.count - jumbo.bytesRemoved)
        let (sequences, _) = Self.survivors(jumboOut, maxFrame: 9018, frameSize: 8042)
        #expect(sequences.count < Self.count - jumbo.recordsTruncated, "the receiver swallows following records")
    }

    /// The control: a finder left at 1518 does not see jumbo records as records at all.
    @Test func aFinderAtTheDefaultLimitMisreadsJumboRecords() {
        let (_, counters) = Self.inject(Self.jumbo, Self.spec(loss: 0.1, truncate: 0.1), maxFrame: 1518)
        #expect(counters.records > Self.count * 10, "\(counters)")
    }

    /// `LinkConfiguration.maxFrame` reaches the pipeline's injector: a jumbo link's TX faults count jumbo records.
    @Test func theLinkPipelineGivesItsInjectorsTheLinksLimit() throws {
        var configuration = LinkConfiguration()
        configuration.maxFrame = 9018
        configuration.faults = try FaultConfiguration(parsing: "tx:loss=0.1,seed=21")
        let sent = SentBytes()
        let pipeline = try LinkPipeline(configuration: configuration) { bytes, _ in
            sent.append(bytes)
            return bytes.count
        }
        defer { pipeline.stop() }
        var offset = 0
        while offset < Self.jumbo.count {
            let length = Int(Self.jumbo[offset]) << 8 | Int(Self.jumbo[offset + 1])
            pipeline.transmit(Array(Self.jumbo[offset..<(offset + 2 + length)]))
            offset += 2 + length
        }
        #expect(pipeline.drain(timeout: .seconds(10)))
        let faults = try #require(pipeline.status(transport: LinkCounters()).tx.faults)
        let (_, direct) = Self.inject(Self.jumbo, Self.spec(loss: 0.1), maxFrame: 9018)
        // TX draws from the "tx" streams, so the lost records differ from the direct rx run; the units do not.
        #expect(faults.records == Self.count, "\(faults)")
        #expect(faults.recordsLost > 10 && direct.recordsLost > 10)
        #expect(faults.bytesRemoved == faults.recordsLost * 8044)
        #expect(sent.count == Self.jumbo.count - faults.bytesRemoved)
    }
}

private final class SentBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    func append(_ bytes: [UInt8]) { lock.withLock { total += bytes.count } }
    var count: Int { lock.withLock { total } }
}
