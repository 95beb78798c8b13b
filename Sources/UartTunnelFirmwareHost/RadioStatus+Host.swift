import CEspIdfHost
import UartTunnelDevice
import UartTunnelWire

extension FirmwareDriver {
    /// The host layer's Wi-Fi state, nil until the firmware calls esp_wifi_init; `softAPLink`: the endpoint of
    /// `--ap-listen`, if any.
    static func radioStatus(softAPLink: String?) -> RadioStatus? {
        var raw = CEspIdfHost_WifiStatus()
        CEspIdfHost_wifiStatus(&raw)
        guard raw.initialised != 0 else { return nil }
        let modes = ["null", "sta", "ap", "apsta"]
        let states = ["idle", "connecting", "connected"]
        let ssid = withUnsafeBytes(of: raw.ssid) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let recent = withUnsafeBytes(of: raw.recent) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var status = RadioStatus(
            mode: modes.indices.contains(Int(raw.mode)) ? modes[Int(raw.mode)] : "\(raw.mode)",
            state: raw.started == 0 ? "stopped" : states.indices.contains(Int(raw.state)) ? states[Int(raw.state)] : "?",
            ssid: ssid, rssi: Int(raw.rssi), channel: Int(raw.channel), lastDisconnectReason: Int(raw.lastReason),
            softAPStarted: raw.apStarted != 0, rxFrames: Int(raw.rxFrames), txFrames: Int(raw.txFrames),
            rxDroppedNotAssociated: Int(raw.rxDropped), txDroppedNotAssociated: Int(raw.txDropped),
            events: Int(raw.events),
            recentEvents: recent.isEmpty ? [] : recent.components(separatedBy: ", "))
        if softAPLink != nil || raw.apStarted != 0 {
            status.softAP = softAPStatus(raw, link: softAPLink)
        }
        return status
    }

    private static func softAPStatus(_ raw: CEspIdfHost_WifiStatus, link: String?) -> SoftAPStatus {
        let mac = withUnsafeBytes(of: raw.apStationMac) { MACAddress(bytes: $0)?.description ?? "?" }
        let ip = raw.apHasIp != 0 ? IPv4Address(value: UInt32(bigEndian: raw.apStationIp)).description : nil
        let stations = raw.apStarted != 0 && raw.apAssociated != 0 ? [SoftAPStatus.Station(mac: mac, ip: ip, aid: 1)] : []
        return SoftAPStatus(started: raw.apStarted != 0, link: link, peerConnected: raw.apPeer != 0,
                            stations: stations, joins: Int(raw.apJoins), refused: Int(raw.apRefused),
                            rxFrames: Int(raw.apRxFrames), txFrames: Int(raw.apTxFrames),
                            rxDropped: Int(raw.apRxDropped), txDropped: Int(raw.apTxDropped),
                            notForwarded: Int(CEspIdfHost_forwardsRefused()))
    }
}
