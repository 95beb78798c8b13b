/// What the host layer's esp_wifi logged in a device's output, as timed events: the lines any firmware's station
/// produces, whatever its own logging (`I (ms) wifi: connecting to "S"`, `… wifi: connected with S, …`, `… wifi:
/// disconnected from S, reason N`, `… esp_netif_handlers: sta ip: A, …`, `… radio: S: AP back on the air`). The
/// times are the device's log clock (ms since power-on), so delays between them do not depend on when the check
/// read the log.
public struct WifiLog: Sendable {
    public enum Event: Sendable, Equatable {
        /// esp_wifi_connect started an attempt (wifi/wifi_core.c).
        case connecting(ssid: String)
        case connected(ssid: String)
        case disconnected(ssid: String, reason: Int)
        /// The default handler bound the lease (netif/esp_netif_handlers.c, as v5.4's `esp_netif_action_got_ip`).
        case gotIP(address: String)
        /// A radio change was applied (wifi/radio.c): "AP off the air", "AP back on the air", …
        case radio(ssid: String, change: String)
    }

    public struct Line: Sendable, Equatable {
        public let ms: Int
        public let event: Event
    }

    public let lines: [Line]

    public init(_ output: String) {
        lines = output.split(separator: "\n").compactMap(Self.parse)
    }

    /// `I (1385) wifi: connecting to "lab-ap"` → (1385, .connecting("lab-ap")).
    static func parse(_ text: Substring) -> Line? {
        guard text.count > 4, text.dropFirst().hasPrefix(" ("), let close = text.firstIndex(of: ")"),
              let ms = Int(text[text.index(text.startIndex, offsetBy: 3)..<close]) else { return nil }
        let rest = text[text.index(after: close)...].drop { $0 == " " }
        guard let colon = rest.range(of: ": ") else { return nil }
        let tag = rest[..<colon.lowerBound]
        let message = String(rest[colon.upperBound...])
        let event: Event?
        switch tag {
        case "wifi": event = wifiEvent(message)
        case "esp_netif_handlers":
            event = message.hasPrefix("sta ip: ")
                ? .gotIP(address: String(message.dropFirst(8).prefix { $0 != "," })) : nil
        case "radio":
            guard let split = message.range(of: ": ") else { return nil }
            event = .radio(ssid: String(message[..<split.lowerBound]), change: String(message[split.upperBound...]))
        default: event = nil
        }
        return event.map { Line(ms: ms, event: $0) }
    }

    private static func wifiEvent(_ message: String) -> Event? {
        if message.hasPrefix("connecting to \""), message.hasSuffix("\"") {
            return .connecting(ssid: String(message.dropFirst(15).dropLast()))
        }
        if message.hasPrefix("connected with "), let comma = message.range(of: ", aid") {
            return .connected(ssid: String(message[message.index(message.startIndex, offsetBy: 15)..<comma.lowerBound]))
        }
        if message.hasPrefix("disconnected from "), let split = message.range(of: ", reason ", options: .backwards),
           let reason = Int(message[split.upperBound...]) {
            return .disconnected(ssid: String(message[message.index(message.startIndex, offsetBy: 18)..<split.lowerBound]),
                                 reason: reason)
        }
        return nil
    }

    /// The lines from the first one matching `start` on (all of them when nil).
    public func after(_ start: (Event) -> Bool) -> WifiLog {
        guard let index = lines.firstIndex(where: { start($0.event) }) else { return WifiLog(lines: []) }
        return WifiLog(lines: Array(lines[index...]))
    }

    init(lines: [Line]) { self.lines = lines }

    public var attempts: [Line] { lines.filter { if case .connecting = $0.event { true } else { false } } }
    public var connections: [Line] { lines.filter { if case .connected = $0.event { true } else { false } } }
    public var leases: [Line] { lines.filter { if case .gotIP = $0.event { true } else { false } } }

    public var disconnects: [(ms: Int, reason: Int)] {
        lines.compactMap { if case .disconnected(_, let reason) = $0.event { (ms: $0.ms, reason: reason) } else { nil } }
    }

    /// How the firmware spaced its attempts: "3 attempts, 1.4 s apart → 2.9 s → 5.8 s (back-off)". Back-off means
    /// every gap grew over the one before by at least `margin` (the radio's own decision time is constant).
    public static func spacing(_ attempts: [Line], margin: Int = 100) -> String {
        let gaps = zip(attempts.dropFirst(), attempts).map { $0.ms - $1.ms }
        let count = "\(attempts.count) attempt\(attempts.count == 1 ? "" : "s")"
        guard !gaps.isEmpty else { return count }
        let shown = gaps.map { String(format: "%.1f s", Double($0) / 1000) }.joined(separator: ", ")
        let growing = gaps.count >= 2 && zip(gaps.dropFirst(), gaps).allSatisfy { $0 >= $1 + margin }
        let verdict = gaps.count < 2 ? "" : growing ? " (back-off)" : " (no back-off)"
        return "\(count), gaps \(shown)\(verdict)"
    }
}
