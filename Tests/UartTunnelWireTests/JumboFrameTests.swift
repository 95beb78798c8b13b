import Testing
import UartTunnelWire

/// The decoder and encoder with a jumbo limit: frames up to it cross, one byte more is a bad length (only its two
/// bytes skipped, as the firmware does), and the default stays the seed's 1518.
@Suite struct JumboFrameTests {
    static func frame(_ length: Int) -> [UInt8] { (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) } }

    @Test func aJumboDecoderTakesFramesUpToItsLimit() throws {
        var decoder = RecordDecoder(maxFrame: 9018)
        var events: [DecoderEvent] = []
        let stream = try RecordEncoder.encode(Self.frame(9018), maxFrame: 9018) + [0x23, 0x3B]
            + RecordEncoder.encode(Self.frame(60))
        decoder.feed(stream, now: .now) { events.append($0) }
        #expect(events.count == 3, "\(events)")
        #expect(events.first == .frame(Self.frame(9018)))
        #expect(events.dropFirst().first == .badLength(9019, streamOffset: 9020))
        #expect(events.last == .frame(Self.frame(60)))
    }

    @Test func theDefaultDecoderRefusesJumboLengths() throws {
        var decoder = RecordDecoder()
        var events: [DecoderEvent] = []
        decoder.feed(try RecordEncoder.encode(Self.frame(1600), maxFrame: 9018), now: .now) { events.append($0) }
        #expect(events.first == .badLength(1600, streamOffset: 0))
        #expect(decoder.maxFrame == 1518)
        #expect(RecordDecoder(maxFrame: 20000).maxFrame == 1518, "a limit outside 1518...9018 is not taken")
    }

    @Test func theEncoderNamesTheLimitItRefused() {
        #expect(throws: WireError.frameLengthOverLimit(9019, limit: 9018)) {
            try RecordEncoder.encode(Self.frame(9019), maxFrame: 9018)
        }
        #expect(throws: WireError.frameLength(1519)) { try RecordEncoder.encode(Self.frame(1519)) }
        #expect(WireFormat.mtu(forMaxFrame: 9018) == 9000 && WireFormat.mtu(forMaxFrame: 1518) == 1500)
    }
}
