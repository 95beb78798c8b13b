import CUartTunnelWire
import Testing

/// The record bounds with an opted-in limit (`--max-frame`, CONFIG_UART_TUNNEL_MAX_FRAME): one rule, parametrised.
@Suite struct JumboWireRuleTests {
    @Test func theLimitMovesTheUpperBoundOnly() {
        #expect(CUartTunnelWire_MAX_JUMBO_FRAME == 9018)
        for (length, limit, valid) in [(13, 9018, false), (14, 9018, true), (1519, 9018, true), (9018, 9018, true),
                                       (9019, 9018, false), (4000, 4000, true), (4001, 4000, false),
                                       (1518, 1518, true), (1519, 1518, false)] {
            #expect(CUartTunnelWire_validFrameLengthUpTo(length, limit) == (valid ? 1 : 0), "\(length) up to \(limit)")
        }
    }

    /// A limit outside 1518...9018 can never widen the rule: it is taken as 1518.
    @Test func aBadLimitFallsBackToTheDefault() {
        for limit in [0, 14, 1517, 9019, 65535] {
            #expect(CUartTunnelWire_validFrameLengthUpTo(1518, limit) == 1)
            #expect(CUartTunnelWire_validFrameLengthUpTo(1519, limit) == 0, "limit \(limit)")
        }
    }

    @Test func headerUpToTheLimit() {
        var header: [UInt8] = [0xAA, 0xAA]
        #expect(CUartTunnelWire_putRecordHeaderUpTo(9018, 9018, &header) == 1)
        #expect(header == [0x23, 0x3A])
        header = [0xAA, 0xAA]
        #expect(CUartTunnelWire_putRecordHeaderUpTo(9019, 9018, &header) == 0)
        #expect(header == [0xAA, 0xAA])
        #expect(CUartTunnelWire_putRecordHeader(8042, &header) == 0)  // the default limit is still 1518
    }
}
