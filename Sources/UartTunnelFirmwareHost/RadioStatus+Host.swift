import CEspIdfHost
import UartTunnelDevice

extension FirmwareDriver {
    /// The host layer's Wi-Fi state, nil until the firmware calls esp_wifi_init.
    static var radioStatus: RadioStatus? {
        var raw = CEspIdfHost_WifiStatus()
        CEspIdfHost_wifiStatus(&raw)
        guard raw.initialised != 0 else { return nil }
        let modes = ["null", "sta", "ap", "apsta"]
        let states = ["idle", "connecting", "connected"]
        let ssid = withUnsafeBytes(of: raw.ssid) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let recent = withUnsafeBytes(of: raw.recent) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return RadioStatus(
            mode: modes.indices.contains(Int(raw.mode)) ? modes[Int(raw.mode)] : "\(raw.mode)",
            state: raw.started == 0 ? "stopped" : states.indices.contains(Int(raw.state)) ? states[Int(raw.state)] : "?",
            ssid: ssid, rssi: Int(raw.rssi), channel: Int(raw.channel), lastDisconnectReason: Int(raw.lastReason),
            softAPStarted: raw.apStarted != 0, rxFrames: Int(raw.rxFrames), txFrames: Int(raw.txFrames),
            rxDroppedNotAssociated: Int(raw.rxDropped), txDroppedNotAssociated: Int(raw.txDropped),
            events: Int(raw.events),
            recentEvents: recent.isEmpty ? [] : recent.components(separatedBy: ", "))
    }
}
