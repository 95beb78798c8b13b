/// What the tunnel netif did, for `/api/status`, logs and tests.
public struct TunnelNetifCounters: Sendable, Equatable, Codable {
    /// Records handed to the link by linkoutput (each one length prefix + one frame).
    public var txFrames = 0
    public var txBytes = 0
    /// Frames linkoutput refused because their length has no valid record (never happens at MTU 1500).
    public var txInvalidLength = 0
    /// Records assembled from a pbuf chain of more than one pbuf (e.g. UDP headers in front of a PBUF_REF).
    public var txChainedFrames = 0
    /// Frames passed to `netif->input`.
    public var rxFrames = 0
    public var rxBytes = 0
    /// Frames lwIP's input refused (tcpip mailbox full) or no pbuf could be had for; they are freed.
    public var rxDropped = 0
    /// ARP requests for the gateway that lwIP emitted and the static entry answered instead of the wire.
    public var gatewayARPAnswered = 0

    public init() {}
}
