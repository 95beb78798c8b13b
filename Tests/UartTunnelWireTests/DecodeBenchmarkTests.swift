import Testing
import UartTunnelWire

@Suite struct DecodeBenchmarkTests {
    @Test func decodesWholeStream() {
        let result = DecodeBenchmark.run(megabytes: 2)
        let record = DecodeBenchmark.frameLength + WireFormat.lengthPrefixSize
        #expect(result.bytes == (2 * 1024 * 1024 / record) * record)
        #expect(result.seconds > 0)
    }
}
