import Foundation

/// The access point a `check wifi` scenario puts on the air, written as a `--radio` scenario file (the format of
/// Sources/UartTunnelFirmwareHost/RadioScenario.swift). Timing is left to the host layer's defaults, an ESP32's
/// usual figures (120 ms a scan channel, 4 s until a WPA2 handshake with a wrong password gives up, 6 s beacon
/// timeout), so the delays and attempts the check reports are those a board would show.
public struct WifiCheckAP: Sendable, Equatable {
    public var ssid: String
    public var password: String
    /// The scenario file's auth names: "open", "wpa2-psk", "wpa3-psk", …
    public var auth: String
    public var channel = 6
    public var rssi = -55
    public var bssid = "02:4c:41:42:00:06"

    public init(ssid: String, password: String, auth: String) {
        self.ssid = ssid
        self.password = password
        self.auth = auth
    }

    /// The scenario file: this AP, or no AP at all (`nil`: the "no AP" scenario).
    static func scenarioJSON(_ ap: WifiCheckAP?) throws -> Data {
        let aps: [[String: Any]] = ap.map {
            [["ssid": $0.ssid, "password": $0.password, "auth": $0.auth, "channel": $0.channel, "rssi": $0.rssi,
              "bssid": $0.bssid]]
        } ?? []
        return try JSONSerialization.data(withJSONObject: ["aps": aps], options: [.prettyPrinted, .sortedKeys])
    }

    /// A password the firmware's differs from, of a valid length (8…63): for the wrong-password scenarios.
    static func otherPassword(than password: String) -> String {
        let other = String(("not-" + password).prefix(63))
        return other == password ? "other-pass-1" : other
    }
}
