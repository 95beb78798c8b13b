import CLwIP
import CLwIPShims

/// The one lwIP stack of this process (lwIP is global state: `tcpip_init` runs once).
public enum LwIPStack {
    /// Starts tcpip_thread on first use and reports how received frames must be allocated.
    @discardableResult
    public static func start() -> PbufPoolCheck {
        CLwIPShims_startOnce()
        return poolCheck
    }

    /// Inspected once: the library does not change under a running process.
    public static let poolCheck = PbufPoolCheck.inspect()

    /// Where received frames go: the firmware copies into a pool pbuf's worth of RAM; here PBUF_POOL is used only
    /// when the library and headers agree on its size (`CLwIPShims_rxPbufType`, as for the firmware's pbufs).
    public static var rxPbufType: pbuf_type { CLwIPShims_rxPbufType(PBUF_POOL) }

    /// Advances ARP aging by `seconds` ticks of `etharp_tmr()` (ARP_TMR_INTERVAL is 1 s), as if that much time
    /// passed; the real timer keeps running beside it.
    public static func advanceARPClock(seconds: Int) {
        CLwIPShims_etharpTicks(Int32(seconds))
    }

    /// Options as compiled into the headers this build used.
    public static var arpMaxAge: Int { Int(CLwIPShims_optionARPMaxAge()) }
    public static var hasStaticARPEntries: Bool { CLwIPShims_optionStaticARPEntries() != 0 }
}
