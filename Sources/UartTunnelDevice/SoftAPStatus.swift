/// A Wi-Fi firmware's soft-AP as `/api/status` shows it (`"radio": {"soft_ap": …}`): whether it runs, whether its
/// link (`device --ap-listen`) has a peer, the stations associated (one link carries one), the frames it carried or
/// dropped (AP not started, no station yet), and the packets lwIP did not forward between the AP's side and the
/// station's (CONFIG_LWIP_IP_FORWARD off, ESP-IDF's default).
public struct SoftAPStatus: Sendable, Codable, Equatable {
    public struct Station: Sendable, Codable, Equatable {
        public var mac: String
        /// Its address once seen (IP_EVENT_AP_STAIPASSIGNED posted), else nil.
        public var ip: String?
        public var aid: Int

        public init(mac: String, ip: String?, aid: Int) {
            self.mac = mac
            self.ip = ip
            self.aid = aid
        }
    }

    public var started: Bool
    public var link: String?
    public var peerConnected: Bool
    public var stations: [Station]
    public var joins: Int
    public var refused: Int
    public var rxFrames: Int
    public var txFrames: Int
    public var rxDropped: Int
    public var txDropped: Int
    public var notForwarded: Int

    public init(started: Bool, link: String?, peerConnected: Bool, stations: [Station], joins: Int, refused: Int,
                rxFrames: Int, txFrames: Int, rxDropped: Int, txDropped: Int, notForwarded: Int) {
        self.started = started
        self.link = link
        self.peerConnected = peerConnected
        self.stations = stations
        self.joins = joins
        self.refused = refused
        self.rxFrames = rxFrames
        self.txFrames = txFrames
        self.rxDropped = rxDropped
        self.txDropped = txDropped
        self.notForwarded = notForwarded
    }
}
