import Testing
import UartTunnelWire

@Suite struct RecordEncoderTests {
    /// The seed document's example: a 98-byte ICMP echo request announced as 0x00 0x62.
    @Test func seedPingExampleHasPrefix0x0062() throws {
        let frame = PacketBuilder.icmpEchoRequest()
        #expect(frame.count == 98)
        let encoded = try RecordEncoder.encode(frame)
        #expect(encoded.count == 100)
        #expect(Array(encoded[0..<2]) == [0x00, 0x62])
        #expect(Array(encoded[2...]) == frame)
        // The fields the seed lists, at their wire offsets within the record.
        #expect(Array(encoded[2..<8]) == [0x02, 0, 0, 0, 0, 0x02])  // dst: ESP32
        #expect(Array(encoded[8..<14]) == [0x02, 0, 0, 0, 0, 0x01])  // src: host
        #expect(Array(encoded[14..<16]) == [0x08, 0x00])  // IPv4
        #expect(encoded[16] == 0x45)  // version 4, 20-byte header
        #expect(encoded[25] == 0x01)  // protocol ICMP
        #expect(Array(encoded[28..<32]) == [0xC0, 0xA8, 0x64, 0x01])
        #expect(Array(encoded[32..<36]) == [0xC0, 0xA8, 0x64, 0x02])
        #expect(Array(encoded[36..<38]) == [0x08, 0x00])  // echo request, code 0
    }

    @Test(arguments: [(14, [UInt8](arrayLiteral: 0x00, 0x0E)), (255, [0x00, 0xFF]), (256, [0x01, 0x00]), (1518, [0x05, 0xEE])])
    func lengthIsBigEndian(length: Int, prefix: [UInt8]) throws {
        let frame = sampleFrame(length: length)
        let encoded = try RecordEncoder.encode(frame)
        #expect(Array(encoded.prefix(2)) == prefix)
        #expect(Array(encoded.dropFirst(2)) == frame)
    }

    @Test(arguments: [0, 1, 13, 1519, 9000])
    func rejectsInvalidLengths(length: Int) {
        let frame = [UInt8](repeating: 0xAA, count: length)
        #expect(throws: WireError.frameLength(length)) { try RecordEncoder.encode(frame) }
        var out: [UInt8] = [1, 2, 3]
        #expect(throws: WireError.frameLength(length)) { try RecordEncoder.append(frame, to: &out) }
        #expect(out == [1, 2, 3], "a refused frame must leave the output untouched")
    }

    @Test func appendBatchesRecords() throws {
        let a = sampleFrame(length: 14, seed: 1)
        let b = sampleFrame(length: 300, seed: 2)
        var out: [UInt8] = []
        try RecordEncoder.append(a, to: &out)
        try RecordEncoder.append(b[...], to: &out)
        #expect(out == [0x00, 14] + a + [0x01, 0x2C] + b)
    }

    @Test func errorDescriptionStatesValidRange() {
        let text = WireError.frameLength(1519).description
        #expect(text.contains("1519"))
        #expect(text.contains("14...1518"))
    }

    @Test func formatConstantsMatchTheFirmware() {
        #expect(WireFormat.lengthPrefixSize == 2)
        #expect(WireFormat.validFrameLengths == WireFormat.minFrameLength...WireFormat.maxFrameLength)
        #expect(WireFormat.validFrameLengths == 14...1518)
    }
}
