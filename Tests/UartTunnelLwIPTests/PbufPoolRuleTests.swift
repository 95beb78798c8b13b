import CLwIP
import CLwIPShims
import Testing
import UartTunnelLwIP

/// The PBUF_POOL size check's one home, `CLwIPShims_pbufPoolConsistent` / `CLwIPShims_rxPbufType`: the Swift netif
/// and the ESP-IDF host layer's pbuf_alloc both allocate received frames through it.
@Suite struct PbufPoolRuleTests {
    @Test func debianPoolIsInconsistentSoPoolRequestsBecomeRAM() {
        #expect(CLwIPShims_libraryPoolElementSize() == 616)
        #expect(CLwIPShims_headerPoolElementSize() == 1560)
        #expect(CLwIPShims_pbufPoolConsistent() == 0)
        #expect(CLwIPShims_rxPbufType(PBUF_POOL) == PBUF_RAM)
        #expect(LwIPStack.poolCheck.isConsistent == (CLwIPShims_pbufPoolConsistent() == 1))
        #expect(LwIPStack.rxPbufType == CLwIPShims_rxPbufType(PBUF_POOL))
    }

    @Test func otherTypesPassThrough() {
        for type in [PBUF_RAM, PBUF_ROM, PBUF_REF] {
            #expect(CLwIPShims_rxPbufType(type) == type)
        }
    }
}
