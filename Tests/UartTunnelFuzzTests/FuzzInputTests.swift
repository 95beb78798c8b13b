import Testing
@testable import UartTunnelFuzz
import UartTunnelWire

/// The input format and the seed corpus, as the harness (fuzz/harness/steps.c) reads them.
@Suite struct FuzzInputTests {
    @Test func stepsAreCountIdleBytes() {
        let input = FuzzInput([.init([0xAA, 0xBB], idleCode: 7), .init([0xCC])])
        #expect(input.bytes == [0x00, 0x02, 0x07, 0xAA, 0xBB, 0x00, 0x01, 0x00, 0xCC])
    }

    @Test func idleCodesCoverMillisecondsThenTenthsOfSeconds() {
        #expect(FuzzInput.idleCode(milliseconds: 0) == 0)
        #expect(FuzzInput.idleCode(milliseconds: 50) == 50)
        #expect(FuzzInput.idleCode(milliseconds: 1500) == 115)   // 15 × 100 ms
        #expect(FuzzInput.idleCode(milliseconds: 60_000) == 255) // capped at 15.5 s
    }

    @Test func seedsHaveStableUniqueNamesAndEndReadable() {
        let seeds = FuzzSeedCorpus.seeds
        #expect(Set(seeds.map(\.name)).count == seeds.count)
        #expect(seeds.map(\.name) == FuzzSeedCorpus.seeds.map(\.name))
        #expect(seeds.map(\.input) == FuzzSeedCorpus.seeds.map(\.input))  // junk comes from a fixed seed
        // every seed ends with whole records on the wire's rules: a driver that kept its place has frames to deliver
        for (name, input) in seeds where !name.hasPrefix("split-") {
            var decoder = RecordDecoder()
            var frames = 0
            var now = ContinuousClock.now
            for step in input.steps {
                decoder.feed(step.bytes, now: now) { if case .frame = $0 { frames += 1 } }
                now += .milliseconds(step.idleCode <= 100 ? Int(step.idleCode) : (Int(step.idleCode) - 100) * 100)
            }
            #expect(frames >= 1, "\(name)")
        }
    }

    @Test func dictionaryHasTheFramingsLengths() {
        let text = FuzzSeedCorpus.dictionaryText
        for value in ["\\x00\\x0E", "\\x05\\xDC", "\\x05\\xEE", "\\x05\\xEF", "\\xFF\\xFF", "\\x00\\x00"] {
            #expect(text.contains("\"\(value)\""), "\(value)")
        }
    }

    @Test func stepLogBecomesChunks() {
        let parsed = FuzzReproducer.parseStepLog("1000 0a0b\ntx 1500 0c\n12000 ff\nend 3000000\n")
        #expect(parsed.chunks == [.init(microseconds: 1000, bytes: [0x0A, 0x0B]), .init(microseconds: 12000, bytes: [0xFF])])
        #expect(parsed.sent == [.init(microseconds: 1500, bytes: [0x0C])])
        #expect(parsed.end == 3_000_000)
    }

    @Test func reportsAreClassifiedHarnessLineFirst() {
        let harness = "W (1) esp_idf_host: DEFECT x\n==uart-tunnel-fuzz== FINDING resync-lost: the canary never arrived\n==1==ERROR: AddressSanitizer: ABRT on unknown address\n"
        #expect(FuzzReportParser.classify(harness)?.kind == "resync-lost")
        let asan = """
            ==9==ERROR: AddressSanitizer: global-buffer-overflow on address 0x1 at pc 0x2
                #0 0x1 in memcpy /build/compiler-rt/lib/asan/x.inc:117:5
                #1 0x2 in ring_take /work/CShims/CEspIdfHost/src/drivers/uart.c:281:9
                #2 0x3 in read_exact /work/fixtures/planted_tunnel.c:81:23
            SUMMARY: AddressSanitizer: global-buffer-overflow /x/memintrinsics.inc:117:5 in memcpy
            """
        let parsed = FuzzReportParser.classify(asan)
        #expect(parsed?.kind == "global-buffer-overflow")
        #expect(parsed?.summary.contains("read_exact planted_tunnel.c:81:23") == true)
        #expect(FuzzReportParser.classify("x.c:3:5: runtime error: shift exponent 40\n")?.kind == "undefined-behavior")
        #expect(FuzzReportParser.classify("nothing to see\n") == nil)
    }
}
