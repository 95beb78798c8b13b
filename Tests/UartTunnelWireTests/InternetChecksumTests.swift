import Testing
import UartTunnelWire

@Suite struct InternetChecksumTests {
    /// RFC 1071 section 3's worked example: the sum is 0xDDF2, so the checksum is 0x220D.
    @Test func rfc1071Example() {
        #expect(InternetChecksum.compute([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == 0x220D)
    }

    /// A well-known IPv4 header (192.168.0.1 > 192.168.0.199, UDP, DF) with checksum 0xB861.
    @Test func knownIPv4Header() {
        var header: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
            0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7,
        ]
        #expect(InternetChecksum.compute(header) == 0xB861)
        header[10] = 0xB8
        header[11] = 0x61
        #expect(InternetChecksum.compute(header) == 0, "a header with its checksum sums to zero")
    }

    @Test func oddLengthPadsWithZero() {
        #expect(InternetChecksum.compute([0x12, 0x34, 0x56]) == InternetChecksum.compute([0x12, 0x34, 0x56, 0x00]))
        #expect(InternetChecksum.compute([0x12, 0x34, 0x56]) == ~UInt16(0x1234 + 0x5600))
    }

    @Test func emptyAndCarryFolding() {
        #expect(InternetChecksum.compute([UInt8]()) == 0xFFFF)
        // 0xFFFF + 0x0001 = 0x10000 -> folds to 0x0001 -> checksum 0xFFFE.
        #expect(InternetChecksum.compute([0xFF, 0xFF, 0x00, 0x01]) == 0xFFFE)
        // Long input: 40,000 words of 0xFFFF fold back to 0xFFFF, checksum 0.
        #expect(InternetChecksum.compute([UInt8](repeating: 0xFF, count: 80_000)) == 0)
    }
}
