import CEspIdfHost
import Foundation
import UartTunnelLwIP
import UartTunnelWire

/// The scripted radio of `uart-tunnel device --radio FILE`: what a Wi-Fi firmware's `esp_wifi` sees (the host layer's
/// src/wifi/). JSON:
///
/// ```json
/// { "aps": [ { "ssid": "lab-ap", "password": "lab-pass-1", "auth": "wpa2-psk", "channel": 6, "rssi": -55,
///              "bssid": "02:4c:41:42:00:01" } ],
///   "lease": { "ip": "192.168.100.2", "netmask": "255.255.255.0", "gateway": "192.168.100.1" },
///   "timing": { "scan_channel_ms": 120, "connect_ms": 300, "auth_fail_ms": 1000, "handshake_timeout_ms": 4000,
///               "dhcp_ms": 1000, "beacon_timeout_ms": 6000 },
///   "events": [ { "at_ms": 10000, "ap": "lab-ap", "action": "down" }, { "at_ms": 15000, "ap": "lab-ap", "action": "up" },
///               { "at_ms": 20000, "ap": "lab-ap", "action": "rssi", "rssi": -80 },
///               { "at_ms": 25000, "ap": "lab-ap", "action": "password", "password": "new-pass-2" } ] }
/// ```
///
/// `lease` defaults to the device's `--ip`/`--netmask`/`--gateway` (the tunnel's addresses: the bridge's `tun0` is the
/// AP's network); `timing` fields default to the host layer's (an ESP32's usual figures); `at_ms` counts from power-on.
public struct RadioScenario: Sendable, Equatable {
    public struct AccessPoint: Sendable, Equatable {
        public var ssid: String
        public var password: String
        public var auth: Auth
        public var channel: Int
        public var rssi: Int
        public var bssid: MACAddress
        public var present: Bool
    }

    /// wifi_auth_mode_t values of ESP-IDF v5.4.
    public enum Auth: String, Sendable, CaseIterable {
        case open, wep, wpaPSK = "wpa-psk", wpa2PSK = "wpa2-psk", wpaWPA2PSK = "wpa-wpa2-psk", wpa3PSK = "wpa3-psk",
             wpa2WPA3PSK = "wpa2-wpa3-psk"

        var mode: Int32 {
            switch self {
            case .open: 0
            case .wep: 1
            case .wpaPSK: 2
            case .wpa2PSK: 3
            case .wpaWPA2PSK: 4
            case .wpa3PSK: 6
            case .wpa2WPA3PSK: 7
            }
        }
    }

    public struct Lease: Sendable, Equatable {
        public var ip: IPv4Address
        public var netmask: IPv4Address
        public var gateway: IPv4Address
    }

    public struct Event: Sendable, Equatable {
        public var atMs: Int
        public var change: RadioChange
    }

    public var accessPoints: [AccessPoint] = []
    public var lease: Lease?
    public var timing: [String: UInt32] = [:]
    public var events: [Event] = []

    static let timingKeys = ["scan_channel_ms", "connect_ms", "auth_fail_ms", "handshake_timeout_ms", "dhcp_ms",
                             "beacon_timeout_ms"]

    public init() {}

    /// Reads and checks a scenario file; every mistake is one line naming the file and the field.
    public static func load(path: String) throws(RadioScenarioError) -> RadioScenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RadioScenarioError("\(path): cannot read the radio scenario")
        }
        return try parse(data, name: path)
    }

    public static func parse(_ data: Data, name: String) throws(RadioScenarioError) -> RadioScenario {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw RadioScenarioError("\(name): not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else { throw RadioScenarioError("\(name): the top level must be an object") }
        let reader = FieldReader(file: name)
        try reader.onlyKeys(root, ["aps", "lease", "timing", "events"], at: "")
        var scenario = RadioScenario()
        for (index, item) in try reader.array(root["aps"], at: "aps").enumerated() {
            scenario.accessPoints.append(try reader.accessPoint(item, index: index))
        }
        if let lease = root["lease"] {
            scenario.lease = try reader.lease(lease)
        }
        if let timing = root["timing"] {
            guard let fields = timing as? [String: Any] else { throw reader.error("timing must be an object") }
            try reader.onlyKeys(fields, timingKeys, at: "timing.")
            for (key, value) in fields {
                guard let ms = value as? Int, ms >= 0, ms <= 600_000 else {
                    throw reader.error("timing.\(key) must be a whole number of milliseconds, 0…600000")
                }
                scenario.timing[key] = UInt32(ms)
            }
        }
        let names = Set(scenario.accessPoints.map(\.ssid))
        for (index, item) in try reader.array(root["events"], at: "events").enumerated() {
            let event = try reader.event(item, index: index)
            guard names.contains(event.change.ssid) else {
                throw reader.error("events[\(index)].ap \"\(event.change.ssid)\" is not one of the aps")
            }
            scenario.events.append(event)
        }
        return scenario
    }

    /// Hands the scenario to the host layer's radio, before the firmware runs. The lease defaults to `tunnel`'s
    /// addresses.
    public func install(defaultLease tunnel: TunnelConfiguration) {
        for ap in accessPoints {
            ap.ssid.withCString { ssid in
                ap.password.withCString { password in
                    var entry = CEspIdfHost_RadioAP(ssid: ssid, password: password, auth: ap.auth.mode,
                                                    channel: Int32(ap.channel), rssi: Int32(ap.rssi),
                                                    bssid: (0, 0, 0, 0, 0, 0), present: ap.present ? 1 : 0)
                    let bytes = ap.bssid.bytes
                    entry.bssid = (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5])
                    _ = CEspIdfHost_radioPutAP(&entry)
                }
            }
        }
        let lease = lease ?? Lease(ip: tunnel.address, netmask: tunnel.netmask, gateway: tunnel.gateway)
        CEspIdfHost_radioSetLease(lease.ip.value.bigEndian, lease.netmask.value.bigEndian, lease.gateway.value.bigEndian)
        var current = CEspIdfHost_RadioTiming()
        CEspIdfHost_radioTiming(&current)
        func take(_ key: String, _ field: inout UInt32) { if let value = timing[key] { field = value } }
        take("scan_channel_ms", &current.scanChannelMs)
        take("connect_ms", &current.connectMs)
        take("auth_fail_ms", &current.authFailMs)
        take("handshake_timeout_ms", &current.handshakeTimeoutMs)
        take("dhcp_ms", &current.dhcpMs)
        take("beacon_timeout_ms", &current.beaconTimeoutMs)
        CEspIdfHost_radioSetTiming(&current)
        for event in events {
            _ = event.change.apply(atMs: Int64(event.atMs))
        }
    }
}

public struct RadioScenarioError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Reads the scenario's fields with one-line errors naming the file and the field.
private struct FieldReader {
    let file: String

    func error(_ text: String) -> RadioScenarioError { RadioScenarioError("\(file): \(text)") }

    func onlyKeys(_ object: [String: Any], _ keys: [String], at path: String) throws(RadioScenarioError) {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw error("unknown field \(path)\(unknown) (expected \(keys.map { path + $0 }.joined(separator: ", ")))")
        }
    }

    func array(_ value: Any?, at path: String) throws(RadioScenarioError) -> [Any] {
        guard let value else { return [] }
        guard let array = value as? [Any] else { throw error("\(path) must be an array") }
        return array
    }

    func object(_ value: Any, at path: String) throws(RadioScenarioError) -> [String: Any] {
        guard let object = value as? [String: Any] else { throw error("\(path) must be an object") }
        return object
    }

    func string(_ object: [String: Any], _ key: String, at path: String, default fallback: String? = nil)
        throws(RadioScenarioError) -> String {
        guard let value = object[key] else {
            if let fallback { return fallback }
            throw error("\(path).\(key) is missing")
        }
        guard let text = value as? String else { throw error("\(path).\(key) must be a string") }
        return text
    }

    func int(_ object: [String: Any], _ key: String, at path: String, range: ClosedRange<Int>, default fallback: Int? = nil)
        throws(RadioScenarioError) -> Int {
        guard let value = object[key] else {
            if let fallback { return fallback }
            throw error("\(path).\(key) is missing")
        }
        guard let number = value as? Int, range.contains(number) else {
            throw error("\(path).\(key) must be a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    func accessPoint(_ value: Any, index: Int) throws(RadioScenarioError) -> RadioScenario.AccessPoint {
        let path = "aps[\(index)]"
        let fields = try object(value, at: path)
        try onlyKeys(fields, ["ssid", "password", "auth", "channel", "rssi", "bssid", "present"], at: path + ".")
        let ssid = try string(fields, "ssid", at: path)
        guard (1...32).contains(ssid.utf8.count) else { throw error("\(path).ssid must be 1…32 bytes") }
        let password = try string(fields, "password", at: path, default: "")
        let authName = try string(fields, "auth", at: path, default: password.isEmpty ? "open" : "wpa2-psk")
        guard let auth = RadioScenario.Auth(rawValue: authName) else {
            throw error("\(path).auth \"\(authName)\" is not one of \(RadioScenario.Auth.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if auth == .open, !password.isEmpty { throw error("\(path): an open AP has no password") }
        if auth != .open, auth != .wep, !(8...63).contains(password.utf8.count) {
            throw error("\(path).password must be 8…63 characters for \(auth.rawValue)")
        }
        let channel = try int(fields, "channel", at: path, range: 1...14, default: 6)
        let rssi = try int(fields, "rssi", at: path, range: -127...0, default: -55)
        let bssidText = try string(fields, "bssid", at: path, default: String(format: "02:4c:41:42:00:%02x", index + 1))
        guard let bssid = MACAddress(bssidText) else { throw error("\(path).bssid \"\(bssidText)\" is not a MAC address") }
        let present = fields["present"].map { $0 as? Bool } ?? true
        guard let present else { throw error("\(path).present must be true or false") }
        return .init(ssid: ssid, password: password, auth: auth, channel: channel, rssi: rssi, bssid: bssid, present: present)
    }

    func lease(_ value: Any) throws(RadioScenarioError) -> RadioScenario.Lease {
        let fields = try object(value, at: "lease")
        try onlyKeys(fields, ["ip", "netmask", "gateway"], at: "lease.")
        func address(_ key: String) throws(RadioScenarioError) -> IPv4Address {
            let text = try string(fields, key, at: "lease")
            guard let address = IPv4Address(text) else { throw error("lease.\(key) \"\(text)\" is not an IPv4 address") }
            return address
        }
        return .init(ip: try address("ip"), netmask: try address("netmask"), gateway: try address("gateway"))
    }

    func event(_ value: Any, index: Int) throws(RadioScenarioError) -> RadioScenario.Event {
        let path = "events[\(index)]"
        let fields = try object(value, at: path)
        try onlyKeys(fields, ["at_ms", "ap", "action", "rssi", "password"], at: path + ".")
        let at = try int(fields, "at_ms", at: path, range: 0...86_400_000)
        let ssid = try string(fields, "ap", at: path)
        let action = try string(fields, "action", at: path)
        let change: RadioChange
        switch action {
        case "down": change = .down(ssid)
        case "up": change = .up(ssid)
        case "rssi": change = .rssi(ssid, try int(fields, "rssi", at: path, range: -127...0))
        case "password": change = .password(ssid, try string(fields, "password", at: path))
        default: throw error("\(path).action \"\(action)\" is not one of down, up, rssi, password")
        }
        return .init(atMs: at, change: change)
    }
}
