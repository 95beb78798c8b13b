import UartTunnelLink
import UartTunnelLwIP

/// The counters `GET /api/status` serves and the final log line prints.
public struct DeviceStatus: Sendable, Codable, Equatable {
    public struct Receive: Sendable, Codable, Equatable {
        public var frames: Int
        public var bytes: Int
        public var badLengths: Int
        public var timeouts: Int
        public var discardedOnDisconnect: Int
        public var droppedByStack: Int
    }

    public struct Transmit: Sendable, Codable, Equatable {
        public var frames: Int
        public var bytes: Int
        public var withoutPeer: Int
        public var cutAtPeerChange: Int
        public var writeErrors: Int
        /// Records the link dropped whole because the peer did not read (its TX queue was full).
        public var droppedPeerNotReading: Int
    }

    public var device: String
    public var driver: String
    public var ip: String
    public var mac: String
    public var gateway: String
    public var uptimeMs: Int
    public var rx: Receive
    public var tx: Transmit
    public var gatewayARPAnsweredLocally: Int
    public var connections: Int
    public var peerConnected: Bool
    public var pbufPool: String
    /// Problems the driver showed while running, by name (empty for a well-behaved driver).
    public var defects: [String: Int]
    /// The UART itself: transport bytes in/out, pacing, injected faults by kind, captures.
    public var link: LinkStatus
    /// How many times esp_restart restarted the device (a fresh process each time, see ``DeviceRestart``).
    public var restarts: Int
    /// A Wi-Fi firmware's radio (mode, association, RSSI, last disconnect reason, events); absent otherwise.
    public var radio: RadioStatus?
    /// A firmware driver's heap; absent for the Swift driver.
    public var heap: HeapStatus?
    /// The current peer, if it stopped reading (what was held back for it, what was dropped).
    public var stalledPeer: StalledPeer?

    /// `link` and `line` are the link's own (``TCPServerLink/counters``, ``LinkPipeline/status(transport:)``) for
    /// every driver; `counters` are the driver's frame counters.
    public init(configuration: TunnelConfiguration, driver: String, uptime: Duration, counters: DriverCounters,
                link: LinkCounters, peerConnected: Bool, line: LinkStatus) {
        device = "uart-tunnel"
        self.driver = driver
        ip = configuration.address.description
        mac = configuration.deviceMAC.description
        gateway = configuration.gateway.description
        uptimeMs = Int(uptime.components.seconds * 1000 + uptime.components.attoseconds / 1_000_000_000_000_000)
        rx = Receive(frames: counters.rxFrames, bytes: counters.rxBytes, badLengths: counters.badLengths,
                     timeouts: counters.timeouts, discardedOnDisconnect: counters.discardedOnDisconnect,
                     droppedByStack: counters.droppedByStack)
        tx = Transmit(frames: counters.txFrames, bytes: counters.txBytes, withoutPeer: link.recordsWithoutPeer,
                      cutAtPeerChange: link.recordsCutAtPeerChange, writeErrors: link.writeErrors,
                      droppedPeerNotReading: link.recordsDroppedPeerNotReading)
        gatewayARPAnsweredLocally = counters.gatewayARPAnsweredLocally
        defects = counters.defects
        connections = link.connections
        self.link = line
        self.peerConnected = peerConnected
        restarts = DeviceRestart.restarts
        radio = counters.radio
        heap = counters.heap
        pbufPool = LwIPStack.poolCheck.isConsistent ? "PBUF_POOL" : "PBUF_RAM (library/header pool size mismatch)"
    }

    /// One line for the log when the device stops.
    public var summary: String {
        "rx \(rx.frames) frames/\(rx.bytes) B, bad lengths \(rx.badLengths), timeouts \(rx.timeouts), "
            + "discarded \(rx.discardedOnDisconnect), stack drops \(rx.droppedByStack); "
            + "tx \(tx.frames) frames/\(tx.bytes) B, without peer \(tx.withoutPeer), "
            + "dropped peer not reading \(tx.droppedPeerNotReading), cut at peer change \(tx.cutAtPeerChange); "
            + "gateway ARP answered locally \(gatewayARPAnsweredLocally); connections \(connections); "
            + link.summary + (radio.map { "; " + $0.summary } ?? "") + (heap.map { "; " + $0.summary } ?? "")
            + (stalledPeer.map { "; " + $0.summary } ?? "")
    }
}
