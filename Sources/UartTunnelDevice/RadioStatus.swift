/// A Wi-Fi firmware's radio as `/api/status` shows it (`"radio"`, absent without `esp_wifi_init`): the mode, the AP
/// the station is with, its RSSI, why it last disconnected (an ESP-IDF reason code), the frames the radio carried
/// or dropped while not associated, and the last events posted.
public struct RadioStatus: Sendable, Codable, Equatable {
    public var mode: String
    public var state: String
    public var ssid: String
    public var rssi: Int
    public var channel: Int
    public var lastDisconnectReason: Int
    public var softAPStarted: Bool
    public var rxFrames: Int
    public var txFrames: Int
    public var rxDroppedNotAssociated: Int
    public var txDroppedNotAssociated: Int
    public var events: Int
    public var recentEvents: [String]
    /// The soft-AP and its stations (`device --ap-listen`); nil when the firmware has no AP link.
    public var softAP: SoftAPStatus?

    public init(mode: String, state: String, ssid: String, rssi: Int, channel: Int, lastDisconnectReason: Int,
                softAPStarted: Bool, rxFrames: Int, txFrames: Int, rxDroppedNotAssociated: Int,
                txDroppedNotAssociated: Int, events: Int, recentEvents: [String]) {
        self.mode = mode
        self.state = state
        self.ssid = ssid
        self.rssi = rssi
        self.channel = channel
        self.lastDisconnectReason = lastDisconnectReason
        self.softAPStarted = softAPStarted
        self.rxFrames = rxFrames
        self.txFrames = txFrames
        self.rxDroppedNotAssociated = rxDroppedNotAssociated
        self.txDroppedNotAssociated = txDroppedNotAssociated
        self.events = events
        self.recentEvents = recentEvents
    }

    /// One line for the device's last log line.
    public var summary: String {
        "radio \(mode) \(state)\(ssid.isEmpty ? "" : " \(ssid)"), last reason \(lastDisconnectReason), "
            + "rx \(rxFrames) (dropped \(rxDroppedNotAssociated)), tx \(txFrames) (dropped \(txDroppedNotAssociated))"
            + (softAP.map { ap in
                "; soft-AP \(ap.started ? "started" : "stopped"), \(ap.stations.count) station\(ap.stations.count == 1 ? "" : "s"), "
                    + "rx \(ap.rxFrames) (dropped \(ap.rxDropped)), tx \(ap.txFrames) (dropped \(ap.txDropped)), "
                    + "not forwarded \(ap.notForwarded)"
            } ?? "")
    }
}
